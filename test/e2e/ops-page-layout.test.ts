import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsPageRoutes } from '../../infra/local/ops-page/static-routes.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { formatBoundedRoi, formatCost, formatNet, formatValue } from '../../shared/format/figures.ts';
import { portfolioFacts } from '../../shared/portfolio/present.ts';
import type { ServedPortfolio } from '../../shared/portfolio/serve.ts';
import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';
import { launchChromium } from '../support/chromium.ts';
import { getJson, startTestLocalMode } from '../support/local-mode.ts';
import {
  demoEntries,
  horizontalOverflow,
  openOpsPage,
  type PageGlobals,
  putAll,
} from '../support/ops-page.ts';

const DAYS = 14;
const WIDTHS = [1440, 1280, 1024, 390] as const;
const PHONE = 390;
const DEMO = [
  'invoice-triage',
  'support-assistant',
  'marketing-copy',
  'code-review-assistant',
  'expense-audit',
  'kb-embeddings',
];

/** Where an element sits against the viewport and against its box (a KPI tile, a table cell). */
interface Placement {
  readonly name: string;
  readonly left: number;
  readonly right: number;
  readonly width: number;
  readonly height: number;
  readonly boxLeft: number;
  readonly boxRight: number;
}

/** What the page looks like at one width: overflow, and where the key figures are. */
interface Layout {
  readonly viewport: number;
  readonly scrollWidth: number;
  readonly overflowing: readonly string[];
  readonly figures: readonly Placement[];
  readonly tableShown: boolean;
  readonly cardsShown: boolean;
}

const measure = async (page: Page): Promise<Layout> => ({
  ...(await horizontalOverflow(page)),
  ...(await placements(page)),
});

/** The viewport, the key figures' placements, and which fleet layout is shown. */
const placements = (page: Page): Promise<Omit<Layout, 'scrollWidth' | 'overflowing'>> =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const viewport = g.innerWidth;
    const place = (n: ReturnType<typeof g.document.querySelectorAll>[number], box: string, name: string) => {
      const r = n.getBoundingClientRect();
      const b = n.closest(box)?.getBoundingClientRect() ?? r;
      return {
        name,
        left: r.left,
        right: r.right,
        width: r.width,
        height: r.height,
        boxLeft: b.left,
        boxRight: b.right,
      };
    };
    const shown = (selector: string) => {
      const node = g.document.querySelectorAll(selector)[0];
      return node !== undefined && g.getComputedStyle(node).display !== 'none';
    };
    const fleetCards = shown('#fleet-cards');
    const figureCells = fleetCards
      ? Array.from(g.document.querySelectorAll('#fleet-cards [data-column] dd'), (n) =>
          place(
            n,
            '[data-column]',
            `${n.closest('[data-workflow]')?.getAttribute('data-workflow')} ${n.closest('[data-column]')?.getAttribute('data-column')}`,
          ),
        )
      : Array.from(g.document.querySelectorAll('#fleet td[data-column]'), (n) =>
          place(
            n,
            'td',
            `${n.closest('[data-workflow]')?.getAttribute('data-workflow')} ${n.getAttribute('data-column')}`,
          ),
        );
    return {
      viewport,
      figures: [
        ...Array.from(g.document.querySelectorAll('[data-kpi] .kpi-value'), (n) =>
          place(n, '[data-kpi]', `kpi ${n.closest('[data-kpi]')?.getAttribute('data-kpi')}`),
        ),
        ...figureCells.filter((f) => / (value|cost|net|roi)$/.test(f.name)),
      ],
      tableShown: shown('#fleet'),
      cardsShown: fleetCards,
    };
  });

/** The page's figures per workflow and column, from the table or, on a phone, the cards. */
const shownFigures = (page: Page): Promise<Record<string, Record<string, string>>> =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const shown: Record<string, Record<string, string>> = {};
    for (const n of Array.from(
      g.document.querySelectorAll('#fleet td[data-column], #fleet-cards [data-column] dd'),
    )) {
      const id = n.closest('[data-workflow]')?.getAttribute('data-workflow') ?? '';
      const column = n.closest('[data-column]')?.getAttribute('data-column') ?? '';
      const where = n.tagName === 'TD' ? 'table' : 'card';
      shown[`${where} ${id}`] = { ...shown[`${where} ${id}`], [column]: n.textContent ?? '' };
    }
    return shown;
  });

describe('the ops page at 1440, 1280, 1024 and 390 px', () => {
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    local = await startTestLocalMode({
      staticRoutes: opsPageRoutes(),
      catalog: loadCatalogFile(new URL('../../catalog.json', import.meta.url).pathname),
    });
    await putAll(local, demoEntries(Date.now(), local.busName, DAYS));
    await local.drain();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await local?.dropTable();
  });

  it.each(WIDTHS)(
    'fits %i px: no horizontal scroll, no element wider than the viewport, every key figure in view',
    async (width) => {
      // Prepare
      mkdirSync('test-output', { recursive: true });
      const { page, consoleErrors, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`, {
        width,
      });

      // Act
      const layout = await measure(page);
      const png = await page.screenshot({ path: `test-output/ops-page-${width}.png`, fullPage: true });
      await page.close();

      // Assess
      expect(consoleErrors).toEqual([]);
      expect(state.status).toBe('ready');
      expect(layout.viewport).toBe(width);
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.overflowing).toEqual([]);
      // Eight KPI tiles, and value, cost, net and ROI of each of the six demo workflows.
      expect(layout.figures).toHaveLength(8 + DEMO.length * 4);
      for (const figure of layout.figures) {
        expect(figure.width * figure.height, `${figure.name} has no size`).toBeGreaterThan(0);
        expect(figure.left, `${figure.name} starts left of the viewport`).toBeGreaterThanOrEqual(0);
        expect(figure.right, `${figure.name} ends right of the viewport`).toBeLessThanOrEqual(width);
        expect(figure.left, `${figure.name} leaves its box`).toBeGreaterThanOrEqual(figure.boxLeft - 0.5);
        expect(figure.right, `${figure.name} leaves its box`).toBeLessThanOrEqual(figure.boxRight + 0.5);
      }
      expect({ table: layout.tableShown, cards: layout.cardsShown }).toEqual(
        width === PHONE ? { table: false, cards: true } : { table: true, cards: false },
      );
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    },
  );

  it.each([1280, PHONE])(
    'shows at %i px the figures GET /workflows gives, through the shared formatters, unknowns included',
    async (width) => {
      // Prepare
      const { body } = await getJson<{ workflows: WorkflowListEntry[] }>(
        `${local.apiUrl}/workflows?limit=200`,
      );
      const { page } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`, { width });

      // Act
      const shown = await shownFigures(page);
      await page.close();

      // Assess
      const where = width === PHONE ? 'card' : 'table';
      for (const id of DEMO) {
        const m = body.workflows.find((w) => w.workflowId === id)?.last7Days;
        if (!m) throw new Error(`${id} is missing from GET /workflows`);
        expect(shown[`${where} ${id}`], id).toMatchObject({
          value: formatValue(m),
          cost: formatCost(m),
          net: formatNet(m),
          roi: formatBoundedRoi(m),
        });
      }
      // The demo's unknowns: marketing-copy has no value source, kb-embeddings' usage is unpriced.
      expect(shown[`${where} marketing-copy`]).toMatchObject({
        value: 'unknown',
        net: 'unknown',
        roi: 'unknown',
      });
      expect(shown[`${where} kb-embeddings`]?.cost).toMatch(/^(unpriced|≥ \$[\d.,]+)$/);
      expect(shown[`${where} kb-embeddings`]?.roi).toBe('unknown');
    },
  );

  it.each([1280, PHONE])(
    'shows at %i px the portfolio GET /portfolio gives: every group with its figures, the totals and the funnel, within the width',
    async (width) => {
      // Prepare
      const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`, { width });
      const title = await page.locator('#portfolio-title').textContent();
      const week = title?.replace('Portfolio · ', '') ?? '';
      const { body } = await getJson<ServedPortfolio>(`${local.apiUrl}/portfolio?week=${week}`);

      // Act
      const shown = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        const rows: Record<string, Record<string, string>> = {};
        for (const fact of Array.from(g.document.querySelectorAll('.pf-row [data-fact]'))) {
          const table = fact.closest('ul')?.id ?? '';
          const key = `${table} ${fact.closest('[data-group]')?.getAttribute('data-group')}`;
          rows[key] = {
            ...rows[key],
            [fact.getAttribute('data-fact') ?? '']: fact.querySelector('dd')?.textContent ?? '',
          };
        }
        return rows;
      });
      const funnel = await page
        .locator('#portfolio-funnel li[data-workflow]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-workflow')));
      const layout = await horizontalOverflow(page);
      await page.close();

      // Assess
      expect(state.ops?.portfolio).toBe(true);
      expect(layout.overflowing).toEqual([]);
      const expected = (f: Parameters<typeof portfolioFacts>[0]) =>
        Object.fromEntries(
          portfolioFacts(f).map(([name, text]) => [name.toLowerCase().replace(/\s+/g, '-'), text]),
        );
      for (const [id, rows] of [
        ['portfolio-functions', body.byBusinessFunction],
        ['portfolio-teams', body.byOwnerTeam],
      ] as const) {
        for (const row of rows) expect(shown[`${id} ${row.key}`], `${id} ${row.key}`).toEqual(expected(row));
        expect(shown[`${id} total`]).toEqual(expected(body.totals));
      }
      expect(funnel).toEqual(body.funnel.entries.map((e) => e.workflowId));
      expect(body.totals.workflows).toBe(DEMO.length);
    },
  );
});
