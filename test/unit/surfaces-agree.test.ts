import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { formatPortfolioTable } from '../../infra/local/portfolio-table.ts';
import { formatFleetTable } from '../../infra/local/summary.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { buildDigest } from '../../shared/digest/build.ts';
import { collectWorkflowWeeks } from '../../shared/digest/collect.ts';
import type { DigestModel } from '../../shared/digest/model.ts';
import { renderDigestText } from '../../shared/digest/render-text.ts';
import { formatBoundedRoi, formatCost, formatValue } from '../../shared/format/figures.ts';
import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';
import { InMemoryMetricsStore } from '../../shared/store/memory/in-memory-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, isoWeekOf, isoWeekStart } from '../../shared/time.ts';
import { ingestDemo } from '../support/demo-data.ts';

// A Sunday evening: the API's "last 7 UTC days including today" is then exactly the ISO week the
// digest reports on, so both read the same counters and must show the same figures.
const NOW_MS = Date.parse('2026-11-29T18:00:00Z');
const WEEK = isoWeekOf(NOW_MS);
const catalog = loadCatalogFile('catalog.json');
const FIGURES = ['valueUsd', 'valueCoverage', 'costUsd', 'costComplete', 'netValueUsd', 'roi'] as const;

describe('the API, the terminal table and the digest agree on the demo fleet', () => {
  let apiWorkflows: WorkflowListEntry[];
  let table: string;
  let digest: DigestModel;
  let digestText: string;
  const digestRow = (id: string) => {
    const found = digest.workflows.find((w) => w.workflowId === id);
    if (!found) throw new Error(`${id} missing from the digest`);
    return found;
  };
  const apiRow = (id: string) => {
    const found = apiWorkflows.find((w) => w.workflowId === id);
    if (!found) throw new Error(`${id} missing from GET /workflows`);
    return found.last7Days;
  };
  const tableRow = (id: string) => {
    const [header = '', , ...rows] = table.split('\n');
    const row = rows.find((line) => line.startsWith(`${id} `)) ?? '';
    // Columns are separated by two spaces; cells such as "≥ $0.17" hold single spaces only.
    const cells = row.split(/ {2,}/).map((cell) => cell.trim());
    const names = header.split(/ {2,}/).map((cell) => cell.trim());
    return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
  };

  beforeAll(async () => {
    // Prepare: the demo counted in memory through the real ingestion path, from the week before on
    const store = new InMemoryMetricsStore();
    await ingestDemo(store, { nowMs: NOW_MS, price: catalog.price, fromMs: isoWeekStart(WEEK) - 7 * DAY_MS });

    // Act: each surface as a user reaches it
    const api = createApiHandler({ store, catalog, now: () => NOW_MS }, createLogger('surfaces-test'));
    const response = (await api(
      {
        rawPath: '/workflows',
        queryStringParameters: { limit: '100' },
        requestContext: { http: { method: 'GET' } },
      } as unknown as APIGatewayProxyEventV2,
      { functionName: 'test', awsRequestId: 'r-1' } as Context,
    )) as APIGatewayProxyStructuredResultV2;
    apiWorkflows = JSON.parse(String(response.body)).workflows;
    table = formatFleetTable(apiWorkflows);
    const workflows = await collectWorkflowWeeks(store, catalog, WEEK);
    digest = buildDigest({ week: WEEK, generatedAt: new Date(NOW_MS).toISOString(), catalog, workflows });
    // The text digest wraps at 76 columns; compare its sentences, not its line breaks.
    digestText = renderDigestText(digest).replace(/\s+/g, ' ');
  });

  it('covers the same window in the API and the digest', () => {
    // Assess
    expect(apiRow('invoice-triage').from).toBe(digest.from);
    expect(apiRow('invoice-triage').to).toBe(digest.to);
  });

  it.each([
    'invoice-triage',
    'support-assistant',
    'marketing-copy',
    'code-review-assistant',
    'kb-embeddings',
  ])('gives %s the same value, cost, net, ROI and bounds in the API and the digest', (id) => {
    // Act
    const fromApi = Object.fromEntries(FIGURES.map((key) => [key, apiRow(id)[key]]));
    const fromDigest = Object.fromEntries(FIGURES.map((key) => [key, digestRow(id).current[key]]));

    // Assess
    expect(fromApi).toEqual(fromDigest);
    expect(tableRow(id)).toMatchObject({
      value: formatValue(digestRow(id).current),
      cost: formatCost(digestRow(id).current),
      ROI: formatBoundedRoi(digestRow(id).current),
    });
  });

  it('shows marketing-copy, which has no value data, as unknown everywhere and never as $0 or a loss', () => {
    // Prepare: the story holds this week: successes, no reported value, no catalog assumption
    const marketing = digestRow('marketing-copy');
    expect(marketing.current.succeeded).toBeGreaterThan(0);
    expect(marketing.assumptions.valuePerSuccessUsd).toBeNull();

    // Assess
    expect(apiRow('marketing-copy')).toMatchObject({
      valueUsd: null,
      netValueUsd: null,
      roi: null,
      valueCoverage: 0,
    });
    expect(tableRow('marketing-copy')).toMatchObject({ value: 'unknown', ROI: 'unknown' });
    expect(digestText).toMatch(/Value unknown \(no value data\); cost \$[\d.]+[^;]*; net and ROI unknown\./);
    expect(table).not.toMatch(/marketing-copy.*(\$0\.00 |-1)/);
  });

  it('shows kb-embeddings, whose usage is unpriced, as a cost lower bound with unknown ROI everywhere', () => {
    // Prepare: the story holds this week: usage with no price
    const embeddings = apiRow('kb-embeddings');
    expect(embeddings.unpricedUsageEvents).toBeGreaterThan(0);

    // Assess
    expect(embeddings).toMatchObject({ costComplete: false, roi: null });
    expect(tableRow('kb-embeddings').cost).toMatch(/^(unpriced|≥ \$[\d.,]+)$/);
    expect(tableRow('kb-embeddings').ROI).toBe('unknown');
    expect(digestText).toContain(
      `cost ${formatCost(digestRow('kb-embeddings').current)} (${embeddings.unpricedUsageEvents} usage events unpriced)`,
    );
    expect(table).not.toMatch(/kb-embeddings.*\$0\.00/);
  });

  it('shows the same portfolio in the digest text and the terminal table, each row the sum of its workflows', () => {
    // Prepare
    const portfolioTable = formatPortfolioTable(digest.portfolio).split('\n');

    // Act, Assess
    for (const row of digest.portfolio.byBusinessFunction) {
      const members = digest.workflows.filter((w) => row.workflowIds.includes(w.workflowId));
      expect(row.runs, row.key).toBe(members.reduce((n, w) => n + w.current.runs, 0));
      const line = portfolioTable.find((l) => l.startsWith(`${row.label} `)) ?? '';
      const cells = line.split(/ {2,}/).map((cell) => cell.trim());
      expect(cells.slice(3, 6), row.key).toEqual([formatValue(row), formatCost(row), formatBoundedRoi(row)]);
      expect(digestText).toContain(`- ${row.label} (`);
      expect(digestText).toContain(`value ${formatValue(row)}`);
    }
  });
});
