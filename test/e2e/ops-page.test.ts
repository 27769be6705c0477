import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChartBudget,
  FLEET_PAGE_ROWS,
  QUARANTINE_PAGE,
  RequestBudget,
} from '../../infra/local/ops-page/src/budgets.ts';
import { CHART_JS_ASSET, opsPageRoutes } from '../../infra/local/ops-page/static-routes.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { PIPELINE_COUNTERS } from '../../shared/ingest/pipeline-counters.ts';
import { PageLimits } from '../../shared/limits.ts';
import { launchChromium } from '../support/chromium.ts';
import { getJson, startTestLocalMode } from '../support/local-mode.ts';
import {
  attributes,
  demoEntries,
  openOpsPage,
  type PageGlobals,
  putAll,
  texts,
} from '../support/ops-page.ts';

const DAYS = 14;

interface ChartSummary {
  readonly id: string;
  readonly datasetLengths: readonly number[];
  readonly paintedPixels: number;
}
type PipelineDay = { day: string } & Record<keyof typeof PIPELINE_COUNTERS, number>;

// Chart.js, as the page loaded it: the few members the tests read.
interface ChartGlobals {
  readonly Chart: {
    readonly instances: Record<
      string,
      {
        readonly canvas: {
          readonly id: string;
          readonly width: number;
          readonly height: number;
          getContext(kind: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
        readonly data: {
          readonly datasets: ReadonlyArray<{ readonly label?: string; readonly data: readonly unknown[] }>;
        };
      }
    >;
  };
}

/** Every Chart.js chart on the page: its canvas, dataset lengths and how many pixels it painted. */
const chartsOnPage = (page: Page): Promise<ChartSummary[]> =>
  page.evaluate(() =>
    Object.values((globalThis as unknown as ChartGlobals).Chart.instances).map((chart) => {
      const { width, height } = chart.canvas;
      const pixels = chart.canvas.getContext('2d').getImageData(0, 0, width, height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
      return {
        id: chart.canvas.id,
        datasetLengths: chart.data.datasets.map((d) => d.data.length),
        paintedPixels: painted,
      };
    }),
  );

describe('the offline ops page', () => {
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let browser: Browser;
  let seeded = 0;

  beforeAll(async () => {
    local = await startTestLocalMode({
      staticRoutes: opsPageRoutes(),
      catalog: loadCatalogFile(new URL('../../catalog.json', import.meta.url).pathname),
    });
    const entries = demoEntries(Date.now(), local.busName, DAYS);
    await putAll(local, entries);
    seeded = entries.length;
    await local.drain();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await local?.dropTable();
  });

  it('serves the page, its bundled TypeScript and Chart.js from local files, and loads nothing from elsewhere', async () => {
    // Act
    const answers = await Promise.all(
      ['/', '/assets/ops.js', '/assets/ops.css', CHART_JS_ASSET].map(async (path) => {
        const response = await fetch(`${local.apiUrl}${path}`);
        return {
          path,
          status: response.status,
          type: response.headers.get('content-type'),
          body: await response.text(),
        };
      }),
    );
    const { page, requests } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    await page.close();

    // Assess
    expect(answers.map((a) => [a.path, a.status, a.type?.split(';')[0]])).toEqual([
      ['/', 200, 'text/html'],
      ['/assets/ops.js', 200, 'text/javascript'],
      ['/assets/ops.css', 200, 'text/css'],
      [CHART_JS_ASSET, 200, 'text/javascript'],
    ]);
    expect(answers[1]?.body).toContain('formatBoundedRoi');
    expect(answers[3]?.body).toContain('Chart.js v4.');
    expect(answers[0]?.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(requests.filter((url) => !url.startsWith(`${local.apiUrl}/`))).toEqual([]);
  });

  it('lists every workflow of GET /workflows in the fleet table, with no console errors', async () => {
    // Prepare
    const { body } = await getJson<{ workflows: Array<{ workflowId: string }> }>(`${local.apiUrl}/workflows`);

    // Act
    const { page, consoleErrors, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const rows = await attributes(page, '#fleet tbody tr', 'data-workflow');
    const headings = await texts(page, '#fleet thead th');
    await page.close();

    // Assess
    expect(consoleErrors).toEqual([]);
    expect(state.status).toBe('ready');
    expect(rows).toEqual(body.workflows.map((w) => w.workflowId));
    expect(rows).toEqual(
      expect.arrayContaining([
        'invoice-triage',
        'support-assistant',
        'code-review-assistant',
        'kb-embeddings',
      ]),
    );
    expect(headings.slice(0, 3)).toEqual([
      'workflow · stage',
      expect.stringMatching(/^verdict \d{4}-W\d{2}$/),
      'runs',
    ]);
  });

  it('shows the digest verdicts of GET /digest beside each workflow', async () => {
    // Prepare
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const week = (await texts(page, '#fleet thead th'))[1]?.replace('verdict ', '');
    const { status, body } = await getJson<{
      workflows: Array<{ workflowId: string; verdictLabel: string }>;
    }>(`${local.apiUrl}/digest?week=${week}`);

    // Act
    const rows = await page.evaluate(() =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll('#fleet tbody tr'),
        (row) => [row.getAttribute('data-workflow'), row.textContent] as const,
      ),
    );
    await page.close();

    // Assess
    expect(status).toBe(200);
    expect(state.ops?.verdicts).toBe(true);
    expect(body.workflows.length).toBeGreaterThan(0);
    for (const verdict of body.workflows) {
      expect(rows.find(([id]) => id === verdict.workflowId)?.[1]).toContain(verdict.verdictLabel);
    }
  });

  it('leaves the verdict column out, without failing, when GET /digest does not answer', async () => {
    // Act
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`, {
      prepare: (p) =>
        p.route('**/digest?**', (route) =>
          route.fulfill({
            status: 404,
            contentType: 'application/json',
            body: '{"error":{"code":"not_found"}}',
          }),
        ),
    });
    const headings = await texts(page, '#fleet thead th');
    const rows = await attributes(page, '#fleet tbody tr', 'data-workflow');
    await page.close();

    // Assess
    expect(state.status).toBe('ready');
    expect(state.ops?.verdicts).toBe(false);
    expect(headings.some((h) => h.startsWith('verdict'))).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('draws, per charted workflow, value against cost and the two rates with their intervals, one point per day', async () => {
    // Prepare
    const { body } = await getJson<{ workflows: Array<{ workflowId: string }> }>(`${local.apiUrl}/workflows`);

    // Act
    const { page, consoleErrors, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const charts = await chartsOnPage(page);
    const drawnAcceptance = await page.evaluate(
      () =>
        Object.values((globalThis as unknown as ChartGlobals).Chart.instances)
          .find((c) => c.canvas.id === 'chart-trust-invoice-triage')
          ?.data.datasets.find((d) => d.label === 'Accepted')?.data,
    );
    await page.close();
    const invoice = await getJson<{ series: Array<{ acceptanceRate: number | null }> }>(
      `${local.apiUrl}/workflows/invoice-triage/metrics?granularity=day&from=${state.ops?.from}&to=${state.ops?.to}`,
    );

    // Assess: the demo fleet is smaller than the chart budget, so every workflow is charted
    expect(consoleErrors).toEqual([]);
    expect(state.ops?.days).toBe(DAYS);
    expect([...(state.ops?.charted ?? [])].sort()).toEqual(body.workflows.map((w) => w.workflowId).sort());
    expect(charts.map((c) => c.id).sort()).toEqual(
      [
        ...body.workflows.flatMap((w) => [`chart-value-${w.workflowId}`, `chart-trust-${w.workflowId}`]),
        'chart-pipeline',
      ].sort(),
    );
    for (const chart of charts) {
      expect(chart.datasetLengths.length).toBeGreaterThanOrEqual(chart.id.startsWith('chart-trust-') ? 6 : 2);
      expect(new Set(chart.datasetLengths)).toEqual(new Set([DAYS]));
      expect(chart.paintedPixels, `${chart.id} painted nothing`).toBeGreaterThan(500);
    }
    expect(drawnAcceptance).toEqual(invoice.body.series.map((s) => s.acceptanceRate));
    expect(drawnAcceptance?.filter((rate) => rate !== null).length).toBeGreaterThan(DAYS / 2);
  });

  it('shows the pipeline counters of GET /pipeline with what each counts, in the API words', async () => {
    // Prepare
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const { body } = await getJson<{ days: PipelineDay[]; counters: Record<string, string> }>(
      `${local.apiUrl}/pipeline?from=${state.ops?.from}&to=${state.ops?.to}`,
    );
    const fields = Object.keys(PIPELINE_COUNTERS) as Array<keyof typeof PIPELINE_COUNTERS>;
    const expected = Object.fromEntries(fields.map((f) => [f, body.days.reduce((sum, d) => sum + d[f], 0)]));

    // Act
    const shown = await page.evaluate(() =>
      Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('[data-counter]'), (n) => ({
        name: n.getAttribute('data-counter') ?? '',
        value: n.querySelector('.counter-value')?.textContent ?? '',
        meaning: n.querySelector('.counter-meaning')?.textContent ?? '',
      })),
    );
    await page.close();

    // Assess
    expect(expected.received).toBe(seeded);
    expect(expected.duplicates).toBeGreaterThanOrEqual(1);
    expect(expected.quarantined).toBeGreaterThanOrEqual(1);
    expect(state.ops?.pipelineTotals).toEqual(expected);
    expect(shown.map((s) => s.name)).toEqual(fields);
    for (const { name, value, meaning } of shown) {
      expect(value.replace(/\D/g, ''), name).toBe(String(expected[name]));
      expect(meaning, name).toBe(body.counters[name]);
    }
  });

  it('lists today’s quarantine as distinct entries and says the pipeline counter counts deliveries', async () => {
    // Prepare
    const { body } = await getJson<{ events: Array<{ id: string }> }>(`${local.apiUrl}/quarantine`);

    // Act
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const rows = await texts(page, '#quarantine tbody tr');
    const hint = (await texts(page, '#quarantine-hint'))[0] ?? '';
    await page.close();

    // Assess
    expect(rows.some((row) => row.includes('invalid_field'))).toBe(true);
    expect(state.ops?.quarantineEntries).toBe(body.events.length);
    expect(hint).toContain(
      `${body.events.length} distinct ${body.events.length === 1 ? 'entry' : 'entries'}`,
    );
    expect(hint).toContain(`quarantined counter counts ${PIPELINE_COUNTERS.quarantined}`);
  });
});

describe('the offline ops page with a large fleet', () => {
  const FLEET = 300;
  const INVALID = QUARANTINE_PAGE + 5;
  // Reading 200 workflows' headline figures from DynamoDB Local takes seconds on a busy machine.
  const SLOW = 90_000;
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    local = await startTestLocalMode({ staticRoutes: opsPageRoutes(), newWorkflowsPerDay: FLEET });
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const usage: PutEventsRequestEntry[] = Array.from({ length: FLEET }, (_, i) => ({
      EventBusName: local.busName,
      Source: 'acme.fleet',
      DetailType: 'ai.workflow.usage',
      Detail: JSON.stringify({
        schemaVersion: 1,
        eventId: `fleet-${i}`,
        workflowId: `fleet-${String(i).padStart(3, '0')}`,
        occurredAt,
        model: 'priced-by-producer',
        inputTokens: 10,
        outputTokens: 10,
        costUsd: (i + 1) / 1000,
        latencyMs: 100,
      }),
    }));
    // More invalid events than one page of the quarantine panel, each its own entry.
    const invalid: PutEventsRequestEntry[] = Array.from({ length: INVALID }, (_, i) => ({
      EventBusName: local.busName,
      Source: 'acme.fleet',
      DetailType: 'ai.workflow.outcome',
      Detail: JSON.stringify({
        schemaVersion: 1,
        eventId: `bad-${i}`,
        workflowId: 'fleet-000',
        occurredAt,
        status: 'done',
      }),
    }));
    await putAll(local, [...usage, ...invalid]);
    await local.drain();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await local?.dropTable();
  });

  it(
    'makes a bounded number of API requests whatever the fleet size: one page of the fleet, charts for the largest',
    async () => {
      // Act
      const { page, consoleErrors, requests, state } = await openOpsPage(browser, `${local.apiUrl}/?days=7`);
      const rows = await attributes(page, '#fleet tbody tr', 'data-workflow');
      await page.close();

      // Assess
      expect(consoleErrors).toEqual([]);
      expect(state.status).toBe('ready');
      const apiCalls = requests.filter((url) =>
        /\/(workflows|pipeline|quarantine|digest)/.test(new URL(url).pathname),
      );
      // The fleet, the pipeline, the quarantine, the digest, and metrics and variants per chart.
      expect(apiCalls.filter((url) => new URL(url).pathname === '/workflows')).toHaveLength(1);
      expect(apiCalls.filter((url) => new URL(url).pathname.endsWith('/variants'))).toHaveLength(
        ChartBudget.total,
      );
      expect(apiCalls.length).toBeLessThanOrEqual(RequestBudget.total);
      expect(state.ops?.workflows).toHaveLength(PageLimits.workflows.max);
      expect(state.ops?.moreInApi).toBe(true);
      expect(rows).toHaveLength(FLEET_PAGE_ROWS);
      // The charted workflows are the costliest loaded: fleet-199 down, none of them flagged.
      expect(state.ops?.charted).toEqual(
        Array.from({ length: ChartBudget.total }, (_, i) => `fleet-${199 - i}`),
      );
    },
    SLOW,
  );

  it(
    'pages the table, and loads the API’s next page of workflows through its nextToken on request',
    async () => {
      // Prepare
      const { page, requests } = await openOpsPage(browser, `${local.apiUrl}/?days=7`);

      // Act
      await page.click('[data-pager="next"]');
      const second = await attributes(page, '#fleet tbody tr', 'data-workflow');
      await page.click('[data-pager="load-more"]');
      await page.waitForFunction(
        () => ((globalThis as unknown as PageGlobals).yardstickOps?.workflows.length ?? 0) > 200,
      );
      const after = await page.evaluate(() => (globalThis as unknown as PageGlobals).yardstickOps);
      await page.close();

      // Assess
      expect(second[0]).toBe(`fleet-${String(FLEET_PAGE_ROWS).padStart(3, '0')}`);
      expect(after?.workflows).toHaveLength(FLEET);
      expect(after?.moreInApi).toBe(false);
      expect(after?.shown[0]).toBe('fleet-200');
      expect(
        requests.filter((url) => url.includes('/workflows?') && url.includes('nextToken=')),
      ).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'shows the quarantine newest first, a page at a time, and the rest on request',
    async () => {
      // Prepare
      const { page } = await openOpsPage(browser, `${local.apiUrl}/?days=7`);
      const firstPage = await attributes(page, '#quarantine tbody tr', 'data-quarantine');

      // Act
      await page.click('#quarantine-more');
      await page.waitForFunction(
        (n) =>
          (globalThis as unknown as PageGlobals).document.querySelectorAll('#quarantine tbody tr').length ===
          n,
        INVALID,
      );
      const times = await attributes(page, '#quarantine tbody td:first-child', 'title');
      const moreHidden = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document
          .querySelectorAll('#quarantine-more')[0]
          ?.getAttribute('hidden'),
      );
      await page.close();

      // Assess
      expect(firstPage).toHaveLength(QUARANTINE_PAGE);
      expect(times).toHaveLength(INVALID);
      expect(times).toEqual([...times].sort().reverse());
      expect(moreHidden).not.toBeNull();
    },
    SLOW,
  );
});
