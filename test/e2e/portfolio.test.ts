import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalDigest } from '../../functions/digest/local.ts';
import { archivePastDigests } from '../../infra/local/demo/past-digests.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import type { DigestModel } from '../../shared/digest/model.ts';
import type { PortfolioFigures, PortfolioRow } from '../../shared/portfolio/model.ts';
import type { ServedPortfolio } from '../../shared/portfolio/serve.ts';
import type { WorkflowMetricsResponse } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { ingestDemo } from '../support/demo-data.ts';
import { getJson, startTestLocalMode } from '../support/local-mode.ts';

// Wednesday of 2026-W48: the last full week is 2026-W47, the demo reaches back to 2026-W43.
const NOW_MS = Date.parse('2026-11-25T12:00:00Z');
const WEEK = '2026-W47';
const ARCHIVED = ['2026-W44', '2026-W45', '2026-W46', WEEK];

const round9 = (usd: number) => Math.round(usd * 1e9) / 1e9;

describe('GET /portfolio over the demo in local mode', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  let portfolio: ServedPortfolio;
  let digests: Map<string, DigestModel>;
  let metrics: Map<string, WorkflowMetricsResponse['totals']>;
  const catalog = loadCatalogFile('catalog.json');

  beforeAll(async () => {
    // Prepare: the demo counted into DynamoDB Local, then four weeks of digests through the real
    // digest path (its own IAM-limited clients), oldest first, as `npm start` does.
    local = await startTestLocalMode({ catalog });
    const counting = new DynamoDbMetricsStore({ client: local.client, tableName: local.tableName });
    await ingestDemo(counting, { nowMs: NOW_MS, price: catalog.price });
    await local.drain(); // counts follow recording through the table's stream
    const digestOptions = {
      client: local.client,
      tableName: local.tableName,
      catalog,
      dataDir: `test-output/portfolio-e2e-${process.pid}`,
      nowMs: NOW_MS,
    };
    await archivePastDigests(digestOptions);
    await runLocalDigest(digestOptions);

    // Act
    portfolio = (await getJson<ServedPortfolio>(`${local.apiUrl}/portfolio?week=${WEEK}`)).body;
    digests = new Map(
      await Promise.all(
        ARCHIVED.map(
          async (week) =>
            [week, (await getJson<DigestModel>(`${local.apiUrl}/digest?week=${week}`)).body] as const,
        ),
      ),
    );
    const ids = (digests.get(WEEK)?.workflows ?? []).map((w) => w.workflowId);
    metrics = new Map(
      await Promise.all(
        ids.map(async (id) => {
          const { body } = await getJson<WorkflowMetricsResponse>(
            `${local.apiUrl}/workflows/${id}/metrics?granularity=day&from=2026-11-16&to=2026-11-23`,
          );
          return [id, body.totals] as const;
        }),
      ),
    );
  }, 600_000);

  afterAll(async () => {
    await local?.stop();
    await local?.dropTable();
  });

  const sumOver = (row: PortfolioRow, pick: (m: WorkflowMetricsResponse['totals']) => number | null) =>
    round9(row.workflowIds.reduce((sum, id) => sum + (pick(metrics.get(id) as never) ?? 0), 0));

  it('serves the archived portfolio of the week, the same as the digest sent that week', () => {
    // Assess
    expect(portfolio.served.from).toBe('archive');
    expect(portfolio.week).toBe(WEEK);
    const { served: _, ...rest } = portfolio;
    expect(rest).toEqual(digests.get(WEEK)?.portfolio);
  });

  it('adds up each row from the per-workflow figures of GET /workflows/{id}/metrics, and the totals from the rows', () => {
    // Assess
    for (const rows of [portfolio.byBusinessFunction, portfolio.byOwnerTeam]) {
      expect(rows.flatMap((r) => r.workflowIds).sort()).toEqual([...metrics.keys()].sort());
      for (const row of rows) {
        expect(row.runs, row.key).toBe(sumOver(row, (m) => m.runs));
        expect(row.costUsd, row.key).toBe(sumOver(row, (m) => m.costUsd));
        expect(row.valueReportedUsd, row.key).toBe(sumOver(row, (m) => m.valueReportedUsd));
        expect(row.valueAssumedUsd, row.key).toBe(sumOver(row, (m) => m.valueAssumedUsd));
        expect(row.unpricedUsageEvents, row.key).toBe(sumOver(row, (m) => m.unpricedUsageEvents));
      }
      const additive: Array<keyof PortfolioFigures> = [
        'workflows',
        'runs',
        'costUsd',
        'valueReportedUsd',
        'valueAssumedUsd',
        'activeUsers',
        'eligibleUsers',
      ];
      for (const key of additive)
        expect(round9(rows.reduce((sum, r) => sum + (r[key] as number), 0)), key).toBe(portfolio.totals[key]);
    }
    // Adoption from the sketch: finance is invoice-triage's and expense-audit's users over their eligible users
    const finance = portfolio.byBusinessFunction.find((r) => r.key === 'finance');
    const users = (id: string) => metrics.get(id)?.activeUsers ?? 0;
    expect(finance).toMatchObject({
      activeUsers: users('invoice-triage') + users('expense-audit'),
      eligibleUsers: 15 + 20,
    });
    // kb-embeddings' usage is unpriced: the totals' cost is a lower bound and ROI unknown, never $0 or 0×
    expect(portfolio.totals).toMatchObject({ costComplete: false, roi: null, notInCatalog: 1 });
  });

  it("takes each workflow's verdict history from the archived digests, and calls the demo's streaks", () => {
    // Assess
    for (const entry of portfolio.funnel.entries) {
      for (const { week, verdict } of entry.history) {
        const archived = digests.get(week)?.workflows.find((w) => w.workflowId === entry.workflowId);
        expect(verdict, `${entry.workflowId} ${week}`).toBe(archived?.verdict ?? null);
      }
    }
    expect(portfolio.funnel.archivedWeeks).toEqual(ARCHIVED.slice(0, -1));
    const action = (id: string) => portfolio.funnel.entries.find((e) => e.workflowId === id)?.action;
    expect(action('expense-audit')).toEqual({
      code: 'ready-to-promote',
      weeks: 4,
      message: 'scale 4 weeks running: ready to promote',
    });
    expect(action('marketing-copy')?.message).toBe('unproven 4 weeks running: decide whether to stop');
    expect(action('invoice-triage')).toBeNull(); // in production already
    expect(portfolio.funnel.newWorkflows.map((w) => w.workflowId)).toEqual(['kb-embeddings']);
  });

  it('shows low adoption for the code review assistant: 25 of 200 eligible users', () => {
    // Assess
    const review = digests.get(WEEK)?.workflows.find((w) => w.workflowId === 'code-review-assistant');
    expect(review?.adoption).toMatchObject({ activeUsers: 25, eligibleUsers: 200, adoptionRate: 0.125 });
    expect(review?.adoption.activeUsers).toBe(metrics.get('code-review-assistant')?.activeUsers);
    expect(review?.findings.map((f) => f.code)).toContain('adoption_below_target');
  });

  it.each([
    ['week=2026-47', 'invalid_parameter', 'week must be an ISO week such as'],
    ['week=2026-W54', 'invalid_parameter', 'week 2026-W54 does not exist: ISO year 2026 has 53 weeks'],
    ['week=2099-W01', 'week_not_over', 'has not ended yet'],
  ])('refuses ?%s with a 400 that says what is wrong', async (query, code, message) => {
    // Act
    const { status, body } = await getJson<{ error: { code: string; message: string } }>(
      `${local.apiUrl}/portfolio?${query}`,
    );

    // Assess
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toContain(message);
  });
});
