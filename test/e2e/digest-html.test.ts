import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { type ProducedDigest, produceDigest, renderDigest } from '../../shared/digest/produce.ts';
import { formatCost, formatNet, formatValue } from '../../shared/format/figures.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { launchChromium } from '../support/chromium.ts';
import { type Counting, settledFirst, startCounting } from '../support/counting.ts';
import { ingestDemo } from '../support/demo-data.ts';
import { syntheticDigest } from '../support/digest-fleet.ts';
import { createTestTable } from '../support/dynamodb.ts';

const NOW_MS = Date.parse('2026-11-25T12:00:00Z');
const WIDTHS = { desktop: 1280, phone: 375, 'small-phone': 320 } as const;
const VERDICT_LABELS: Record<string, string> = {
  'invoice-triage': 'SCALE',
  'support-assistant': 'FIX',
  'code-review-assistant': 'FIX',
  'expense-audit': 'SCALE',
  'marketing-copy': 'UNPROVEN',
  'kb-embeddings': 'NOT ENOUGH DATA',
};

// Horizontal overflow of the page, measured in the page; the project compiles without DOM types.
const layoutOf = (page: Page) =>
  page.evaluate(() => {
    type Box = {
      tagName: string;
      id: string;
      textContent: string | null;
      getBoundingClientRect(): { right: number };
    };
    const page = globalThis as unknown as {
      innerWidth: number;
      document: {
        documentElement: { scrollWidth: number };
        body: { querySelectorAll(selector: string): Iterable<Box> };
      };
    };
    return {
      viewport: page.innerWidth,
      scrollWidth: page.document.documentElement.scrollWidth,
      overflowing: [...page.document.body.querySelectorAll('*')]
        .filter((element) => element.getBoundingClientRect().right > page.innerWidth + 0.5)
        .map((element) => `${element.tagName}#${element.id}: ${element.textContent?.slice(0, 40)}`),
    };
  });

describe('digest e-mail HTML in headless Chromium', () => {
  let browser: Browser;
  let digest: ProducedDigest;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  // Counts follow recording through the table's stream; readers wait for it (settledFirst).
  let streamCounting: Counting;

  beforeAll(async () => {
    // Prepare: the demo's digest weeks through the real ingestion path
    table = await createTestTable();
    streamCounting = startCounting(table);
    const catalog = loadCatalogFile('catalog.json');
    // Counted with the aggregate function's permissions, the digest built with the digest's.
    const counting = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    await ingestDemo(counting, {
      nowMs: NOW_MS,
      price: catalog.price,
      fromMs: Date.parse('2026-11-09T00:00:00Z'),
    });
    const store = settledFirst(
      new DynamoDbMetricsStore({ client: table.clientOf('digest'), tableName: table.tableName }),
      streamCounting,
    );
    digest = await produceDigest(store, catalog, '2026-W47', NOW_MS);
    browser = await launchChromium();
    mkdirSync('test-output', { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await streamCounting?.stop();
    await table?.drop();
  });

  it.each(Object.entries(WIDTHS))(
    'shows every verdict and the fleet totals without horizontal overflow at %s width (%i px)',
    async (name, width) => {
      // Prepare: a mail client runs no scripts and loads nothing
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));

      // Act
      await page.setContent(digest.html, { waitUntil: 'load' });
      await page.screenshot({ path: `test-output/digest-${name}.png`, fullPage: true });
      const layout = await layoutOf(page);

      // Assess
      expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
      expect(layout.overflowing).toEqual([]);
      for (const [workflowId, label] of Object.entries(VERDICT_LABELS)) {
        const badge = page.locator(`#workflow-${workflowId}`).getByText(label, { exact: true });
        expect(await badge.isVisible(), `${workflowId} ${label}`).toBe(true);
      }
      const fleet = digest.model.fleet.current;
      // The demo's fleet value and cost are both lower bounds, so its net value reads "unknown"
      for (const total of [formatNet(fleet), formatValue(fleet), formatCost(fleet)]) {
        const cell = page.locator('#fleet').getByText(total, { exact: true }).first();
        expect(await cell.isVisible(), total).toBe(true);
      }
      expect([formatNet(fleet), formatValue(fleet).slice(0, 2), formatCost(fleet).slice(0, 2)]).toEqual([
        'unknown',
        '≥ ',
        '≥ ',
      ]);
      expect(await page.locator('#headline').isVisible()).toBe(true);
      // The portfolio comes first, above the fleet table, and fits the width too
      for (const id of ['#portfolio-functions', '#portfolio-teams', '#portfolio-funnel'])
        expect(await page.locator(id).isVisible(), id).toBe(true);
      const top = async (selector: string) => (await page.locator(selector).boundingBox())?.y ?? 0;
      expect(await top('#portfolio-functions')).toBeLessThan(await top('#fleet'));
      await context.close();
    },
  );

  it.each(Object.entries(WIDTHS))(
    'summarises a fleet of 2,000 workflows without horizontal overflow at %s width (%i px)',
    async (name, width) => {
      // Prepare
      const { html } = renderDigest(syntheticDigest(2000, { flaggedEvery: 100 }));
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        javaScriptEnabled: false,
      });
      const page = await context.newPage();

      // Act
      await page.setContent(html, { waitUntil: 'load' });
      await page.screenshot({ path: `test-output/digest-2000-${name}.png` });
      const layout = await layoutOf(page);

      // Assess
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
      expect(layout.overflowing).toEqual([]);
      expect(await page.locator('#compact-workflows').isVisible()).toBe(true);
      expect(await page.locator('#more-workflows').isVisible()).toBe(true);
      expect(await page.locator('#workflow-wf-00000').getByText('FIX', { exact: true }).isVisible()).toBe(
        true,
      );
      await context.close();
    },
  );
});
