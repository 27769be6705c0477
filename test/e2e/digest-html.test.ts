import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFleet } from '../../infra/local/demo/fleet.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { type ProducedDigest, produceDigest } from '../../shared/digest/produce.ts';
import { countBatch } from '../../shared/ingest/count-batch.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { formatUsd } from '../../shared/verdicts/format.ts';
import { createTestTable } from '../support/dynamodb.ts';

const NOW_MS = Date.parse('2026-11-25T12:00:00Z');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WIDTHS = { desktop: 1280, phone: 375, 'small-phone': 320 } as const;
const VERDICT_LABELS: Record<string, string> = {
  'invoice-triage': 'SCALE',
  'support-assistant': 'FIX',
  'code-review-assistant': 'FIX',
  'marketing-copy': 'UNPROVEN',
  'kb-embeddings': 'NOT ENOUGH DATA',
};

describe('digest e-mail HTML in headless Chromium', () => {
  let browser: Browser;
  let digest: ProducedDigest;
  let table: Awaited<ReturnType<typeof createTestTable>>;

  beforeAll(async () => {
    // Prepare: the demo's digest weeks through the real ingestion path
    table = await createTestTable();
    const catalog = loadCatalogFile('catalog.json');
    const store = new DynamoDbMetricsStore({ client: table.client, tableName: table.tableName });
    const fromMs = Date.parse('2026-11-09T00:00:00Z');
    const incoming = demoFleet(NOW_MS)
      .entries.filter((entry) => Date.parse(String(entry.Detail.occurredAt)) >= fromMs)
      .map((entry, index) => ({
        ref: `m-${index}`,
        id: String(entry.Detail.eventId),
        detailType: entry.DetailType,
        source: entry.Source,
        detail: entry.Detail,
        body: JSON.stringify(entry),
      }));
    for (let start = 0; start < incoming.length; start += 500) {
      await countBatch(incoming.slice(start, start + 500), {
        store,
        price: catalog.price,
        window: { nowMs: NOW_MS, latenessMs: 35 * 86_400_000 },
      });
    }
    digest = await produceDigest(store, catalog, '2026-W47', NOW_MS);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    mkdirSync('test-output', { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
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
      const layout = await page.evaluate(() => {
        // Runs in the page; the project compiles without DOM types, so the page is typed here.
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

      // Assess
      expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
      expect(layout.overflowing).toEqual([]);
      for (const [workflowId, label] of Object.entries(VERDICT_LABELS)) {
        const badge = page.locator(`#workflow-${workflowId}`).getByText(label, { exact: true });
        expect(await badge.isVisible(), `${workflowId} ${label}`).toBe(true);
      }
      const fleet = digest.model.fleet.current;
      for (const total of [
        formatUsd(fleet.netValueUsd),
        formatUsd(fleet.valueUsd),
        `≥ ${formatUsd(fleet.costUsd)}`,
      ]) {
        expect(await page.locator('#fleet').getByText(total, { exact: true }).isVisible(), total).toBe(true);
      }
      expect(await page.locator('#headline').isVisible()).toBe(true);
      await context.close();
    },
  );
});
