import { mkdirSync } from 'node:fs';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFleet } from '../../infra/local/demo/fleet.ts';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { CHART_JS_ASSET, opsPageRoutes } from '../../infra/local/ops-page/static-routes.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { launchChromium } from '../support/chromium.ts';
import { getJson, startTestLocalMode } from '../support/local-mode.ts';

const DAYS = 14;
const SCREENSHOT = 'test-output/ops-page.png';

/** What the page exposes once drawn (see ops.js). */
interface OpsState {
  readonly days: number;
  readonly from: string;
  readonly to: string;
  readonly workflows: readonly string[];
  readonly verdicts: boolean;
  readonly pipelineTotals: Record<string, number>;
}
interface ChartSummary {
  readonly id: string;
  readonly type: string;
  readonly datasetLengths: readonly number[];
  readonly paintedPixels: number;
}
type PipelineDay = { day: string } & Record<
  'received' | 'counted' | 'duplicates' | 'conflicts' | 'quarantined',
  number
>;

// The browser context has DOM types; this project's TypeScript lib does not, so the few used are declared here.
interface PageGlobals {
  readonly Chart: {
    readonly instances: Record<
      string,
      {
        readonly config: { readonly type: string };
        readonly canvas: {
          readonly id: string;
          readonly width: number;
          readonly height: number;
          getContext(kind: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
        readonly data: { readonly datasets: ReadonlyArray<{ readonly data: readonly unknown[] }> };
      }
    >;
  };
  readonly yardstickOps?: OpsState;
  readonly document: {
    readonly documentElement: { readonly dataset: Record<string, string | undefined> };
    querySelectorAll(
      selector: string,
    ): ArrayLike<{ readonly textContent: string | null; getAttribute(name: string): string | null }>;
  };
}

/** Every Chart.js chart on the page: its canvas, dataset lengths and how many pixels it painted. */
const chartsOnPage = (page: Page): Promise<ChartSummary[]> =>
  page.evaluate(() => {
    const { Chart } = globalThis as unknown as PageGlobals;
    return Object.values(Chart.instances).map((chart) => {
      const { width, height } = chart.canvas;
      const pixels = chart.canvas.getContext('2d').getImageData(0, 0, width, height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
      return {
        id: chart.canvas.id,
        type: chart.config.type,
        datasetLengths: chart.data.datasets.map((d) => d.data.length),
        paintedPixels: painted,
      };
    });
  });

const texts = (page: Page, selector: string): Promise<string[]> =>
  page.evaluate(
    (s) =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll(s),
        (n) => n.textContent ?? '',
      ),
    selector,
  );
const attributes = (page: Page, selector: string, name: string): Promise<string[]> =>
  page.evaluate(
    ([s, a]) =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll(s),
        (n) => n.getAttribute(a) ?? '',
      ),
    [selector, name] as const,
  );

/** Opens the page and waits until it has drawn everything (or failed), recording console errors and requests. */
const openOpsPage = async (browser: Browser, url: string, prepare?: (page: Page) => Promise<unknown>) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await prepare?.(page);
  await page.goto(url);
  await page.waitForFunction(
    () => (globalThis as unknown as PageGlobals).document.documentElement.dataset.state !== 'loading',
  );
  const state = await page.evaluate(() => ({
    status: (globalThis as unknown as PageGlobals).document.documentElement.dataset.state,
    ops: (globalThis as unknown as PageGlobals).yardstickOps,
  }));
  return { page, consoleErrors, requests, state };
};

/** A quarter of the demo fleet's runs over the last week, plus a re-sent event and an invalid one. */
const seedEntries = (nowMs: number, busName: string): PutEventsRequestEntry[] => {
  const { entries } = demoFleet(nowMs, DAYS - 1);
  const slice = entries.filter((e) => Number(String(e.Detail.runId).split('-').at(-1)) % 4 === 0);
  const toEntry = (e: (typeof entries)[number]): PutEventsRequestEntry => ({
    EventBusName: busName,
    Source: e.Source,
    DetailType: e.DetailType,
    Detail: JSON.stringify(e.Detail),
  });
  const first = slice[0];
  if (!first) throw new Error('the demo fleet produced no events');
  const invalid: PutEventsRequestEntry = {
    EventBusName: busName,
    Source: 'acme.e2e',
    DetailType: 'ai.workflow.outcome',
    Detail: JSON.stringify({ ...first.Detail, eventId: 'ops-page-invalid', status: 'done' }),
  };
  return [...slice.map(toEntry), toEntry(first), invalid];
};

describe('the offline ops page', () => {
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let browser: Browser;
  let seeded = 0;

  beforeAll(async () => {
    local = await startTestLocalMode({
      staticRoutes: opsPageRoutes(),
      catalog: loadCatalogFile(new URL('../../catalog.json', import.meta.url).pathname),
    });
    const entries = seedEntries(Date.now(), local.busName);
    const client = localEventBridgeClient(local.eventsUrl);
    try {
      for (let i = 0; i < entries.length; i += 10) {
        await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
      }
    } finally {
      client.destroy();
    }
    seeded = entries.length;
    await local.drain();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await local?.dropTable();
  });

  it('serves the page and its assets from local files, Chart.js included, and loads nothing from elsewhere', async () => {
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
    expect(answers[3]?.body).toContain('Chart.js v4.');
    expect(answers[0]?.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(requests.length).toBeGreaterThan(5);
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
    expect(headings.slice(0, 4)).toEqual([
      'workflow',
      'stage',
      expect.stringMatching(/^verdict \d{4}-W\d{2}$/),
      'runs',
    ]);
  });

  it('shows the digest verdicts of GET /digest beside each workflow', async () => {
    // Prepare
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const week = (await texts(page, '#fleet thead th'))[2]?.replace('verdict ', '');
    const { status, body } = await getJson<{
      workflows: Array<{ workflowId: string; verdictLabel: string }>;
    }>(`${local.apiUrl}/digest?week=${week}`);

    // Act
    const badges = await page.evaluate(() =>
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
      const row = badges.find(([id]) => id === verdict.workflowId);
      expect(row?.[1]).toContain(verdict.verdictLabel);
    }
  });

  it('leaves the verdict column out, without failing, when GET /digest does not answer', async () => {
    // Act
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`, (p) =>
      p.route('**/digest?**', (route) =>
        route.fulfill({
          status: 404,
          contentType: 'application/json',
          body: '{"error":{"code":"not_found"}}',
        }),
      ),
    );
    const headings = await texts(page, '#fleet thead th');
    const rows = await attributes(page, '#fleet tbody tr', 'data-workflow');
    await page.close();

    // Assess
    expect(state.status).toBe('ready');
    expect(state.ops?.verdicts).toBe(false);
    expect(headings.some((h) => h.startsWith('verdict'))).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('draws, per workflow, value against cost and the two rates with their intervals, one point per day', async () => {
    // Prepare
    const { body } = await getJson<{ workflows: Array<{ workflowId: string }> }>(`${local.apiUrl}/workflows`);
    const ids = body.workflows.map((w) => w.workflowId);

    // Act
    const { page, consoleErrors, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const charts = await chartsOnPage(page);
    const drawnAcceptance = await page.evaluate(() => {
      const chart = Object.values((globalThis as unknown as PageGlobals).Chart.instances).find(
        (c) => c.canvas.id === 'chart-trust-invoice-triage',
      );
      return chart?.data.datasets.find((d) => (d as { label?: string }).label === 'Accepted')?.data;
    });
    await page.close();
    const invoice = await getJson<{ series: Array<{ acceptanceRate: number | null }> }>(
      `${local.apiUrl}/workflows/invoice-triage/metrics?granularity=day&from=${state.ops?.from}&to=${state.ops?.to}`,
    );

    // Assess
    expect(consoleErrors).toEqual([]);
    expect(state.ops?.days).toBe(DAYS);
    expect(charts.map((c) => c.id).sort()).toEqual(
      [...ids.flatMap((id) => [`chart-value-${id}`, `chart-trust-${id}`]), 'chart-pipeline'].sort(),
    );
    for (const chart of charts) {
      expect(chart.datasetLengths.length).toBeGreaterThanOrEqual(chart.id.startsWith('chart-trust-') ? 6 : 2);
      expect(new Set(chart.datasetLengths)).toEqual(new Set([DAYS]));
      expect(chart.paintedPixels, `${chart.id} painted nothing`).toBeGreaterThan(500);
    }
    expect(drawnAcceptance).toEqual(invoice.body.series.map((s) => s.acceptanceRate));
    expect(drawnAcceptance?.filter((rate) => rate !== null).length).toBeGreaterThan(DAYS / 2);
  });

  it('shows the pipeline counters that GET /pipeline reports for the same days', async () => {
    // Prepare
    const { page, state } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);
    const { body } = await getJson<{ days: PipelineDay[] }>(
      `${local.apiUrl}/pipeline?from=${state.ops?.from}&to=${state.ops?.to}`,
    );
    const fields = ['received', 'counted', 'duplicates', 'conflicts', 'quarantined'] as const;
    const expected = Object.fromEntries(fields.map((f) => [f, body.days.reduce((sum, d) => sum + d[f], 0)]));

    // Act
    const shown = await page.evaluate(() =>
      Array.from(
        (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-counter]'),
        (n) => [n.getAttribute('data-counter'), n.textContent] as const,
      ),
    );
    const quarantined = await texts(page, '#quarantine tbody tr');
    await page.close();

    // Assess
    expect(expected.received).toBe(seeded);
    expect(expected.duplicates).toBeGreaterThanOrEqual(1);
    expect(expected.quarantined).toBeGreaterThanOrEqual(1);
    expect(state.ops?.pipelineTotals).toEqual(expected);
    for (const field of fields) {
      const text = shown.find(([name]) => name === field)?.[1] ?? '';
      expect(text.replace(/\D/g, ''), field).toBe(String(expected[field]));
    }
    expect(quarantined.some((row) => row.includes('invalid_field'))).toBe(true);
  });

  it('renders a full-page screenshot', async () => {
    // Prepare
    mkdirSync('test-output', { recursive: true });
    const { page } = await openOpsPage(browser, `${local.apiUrl}/?days=${DAYS}`);

    // Act
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();

    // Assess
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
  });
});

describe('the offline ops page with a large fleet', () => {
  const FLEET = 300;
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    local = await startTestLocalMode({ staticRoutes: opsPageRoutes(), newWorkflowsPerDay: FLEET });
    const client = localEventBridgeClient(local.eventsUrl);
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const entries: PutEventsRequestEntry[] = Array.from({ length: FLEET }, (_, i) => ({
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
    try {
      for (let i = 0; i < entries.length; i += 10) {
        await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
      }
    } finally {
      client.destroy();
    }
    await local.drain();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await local?.dropTable();
  });

  it('makes a bounded number of API requests whatever the fleet size: one page of the fleet, charts for the largest', async () => {
    // Act
    const { page, consoleErrors, requests, state } = await openOpsPage(browser, `${local.apiUrl}/?days=7`);
    const rows = await attributes(page, '#fleet tbody tr', 'data-workflow');
    const status = await texts(page, '#status');
    await page.close();

    // Assess
    expect(consoleErrors).toEqual([]);
    expect(state.status).toBe('ready');
    const apiCalls = requests.filter((url) =>
      /\/(workflows|pipeline|quarantine|digest)/.test(new URL(url).pathname),
    );
    expect(apiCalls.length).toBeLessThanOrEqual(16);
    expect(rows).toHaveLength(200);
    expect(status[0]).toContain('the first 200');
    // The charted workflows are the costliest of the page: fleet-199 down to fleet-188.
    expect((state.ops as OpsState & { charted: string[] }).charted).toEqual(
      Array.from({ length: 12 }, (_, i) => `fleet-${199 - i}`),
    );
  });
});
