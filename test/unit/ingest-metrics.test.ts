import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultTimeWindow, type TimeWindow } from '../../events/validate.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { countBatch, type IncomingEvent } from '../../shared/ingest/count-batch.ts';
import type { Pricer } from '../../shared/metrics/counters.ts';
import type { IngestResult, MetricsStore } from '../../shared/store/port.ts';
import {
  createIngestMetrics,
  INGEST_METRICS_NAMESPACE,
  INGEST_METRICS_SERVICE,
  PER_WORKFLOW_USD_PER_MONTH,
  PipelineMetric,
  parsePerWorkflowMetrics,
  publishBatchMetrics,
  WORKFLOW_DIMENSION,
  WorkflowMetric,
} from '../../shared/telemetry/ingest-metrics.ts';

interface EmfBlob {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [key: string]: unknown;
}

const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const WINDOW: TimeWindow = defaultTimeWindow(NOW);
/** $1 per 1,000 input tokens, so priced costs are easy to check by hand. */
const PRICE: Pricer = ({ inputTokens }) => ({
  costNanos: BigInt(inputTokens) * 1_000_000n,
  priceRef: 'test',
});

let emfLines: string[] = [];
let stdoutSpy: ReturnType<typeof vi.spyOn>;
const warnings: string[] = [];

// Powertools Metrics writes each EMF blob as one JSON line through its own Console on process.stdout.
beforeEach(() => {
  emfLines = [];
  warnings.length = 0;
  stdoutSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    emfLines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
});
afterEach(() => stdoutSpy.mockRestore());

const blobs = (): EmfBlob[] =>
  emfLines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfBlob);
const directive = (blob: EmfBlob) => {
  const first = blob._aws.CloudWatchMetrics[0];
  if (!first) throw new Error('blob without a metric directive');
  return first;
};
const byName = <T extends { readonly Name: string }>(list: readonly T[]) =>
  [...list].sort((a, b) => a.Name.localeCompare(b.Name));
const names = (blob: EmfBlob) => directive(blob).Metrics.map((m) => m.Name);
const blobsOf = (workflowId: string) => blobs().filter((b) => b[WORKFLOW_DIMENSION] === workflowId);
const pipelineBlobs = () => blobs().filter((b) => !(WORKFLOW_DIMENSION in b));

const newMetrics = () =>
  createIngestMetrics({
    logger: {
      debug: () => undefined,
      info: () => undefined,
      error: (message: string) => warnings.push(message),
      warn: (message: string) => warnings.push(message),
    },
  });

const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

let sequence = 0;
const incoming = (detailType: string, detail: Record<string, unknown>): IncomingEvent => {
  sequence += 1;
  const full = { schemaVersion: 1, eventId: `e-${sequence}`, occurredAt: at(10), ...detail };
  return {
    ref: `m-${sequence}`,
    id: `env-${sequence}`,
    detailType,
    source: 'acme.test',
    detail: full,
    body: JSON.stringify(full),
  };
};
const usage = (workflowId: string, extra: Record<string, unknown> = {}) =>
  incoming('ai.workflow.usage', {
    workflowId,
    model: 'm',
    inputTokens: 1000,
    outputTokens: 10,
    latencyMs: 250,
    ...extra,
  });
const outcome = (workflowId: string, status: string, extra: Record<string, unknown> = {}) =>
  incoming('ai.workflow.outcome', { workflowId, status, ...extra });
const review = (workflowId: string, decision: string) =>
  incoming('ai.workflow.override', { workflowId, decision });

/** A store that counts every event except the eventIds it already holds, or fails the ones asked to. */
const fakeStore = (options: { stored?: Set<string>; failing?: Set<string> } = {}): MetricsStore =>
  ({
    ingest: async (events): Promise<IngestResult> => {
      const outcomes = new Map();
      const failures = new Map();
      for (const e of events) {
        if (options.failing?.has(e.event.detail.eventId)) failures.set(e.ref, new Error('throttled'));
        else outcomes.set(e.ref, options.stored?.has(e.event.detail.eventId) ? 'duplicate' : 'counted');
      }
      return { outcomes, failures, refused: new Map(), storedFingerprints: new Map() };
    },
    admitWorkflows: async () => new Set<string>(),
    keptReasonCodes: async (_workflowId: string, codes: readonly string[]) => new Set(codes),
    quarantine: async () => undefined,
    recordConflicts: async () => undefined,
    recordPipeline: async () => undefined,
  }) as Partial<MetricsStore> as MetricsStore;

const countAndPublish = async (
  events: IncomingEvent[],
  options: Parameters<typeof publishBatchMetrics>[2] = { perWorkflow: 'all' },
  store = fakeStore(),
) => {
  const metrics = newMetrics();
  const report = await countBatch(events, { store, price: PRICE, window: WINDOW });
  const published = publishBatchMetrics(metrics, report, options);
  metrics.publishStoredMetrics(); // what the logMetrics middleware does at the end of the invocation
  return { report, published };
};

describe('publishBatchMetrics', () => {
  it('publishes each workflow in its own blob with the WorkflowId dimension and the figures of its counted events', async () => {
    // Prepare
    const events = [
      usage('invoice-triage', { latencyMs: 100 }),
      usage('invoice-triage', { latencyMs: 300, costUsd: 0.25 }),
      outcome('invoice-triage', 'succeeded', { valueUsd: 4.5 }),
      outcome('invoice-triage', 'failed'),
      outcome('invoice-triage', 'abandoned'),
      review('invoice-triage', 'accepted'),
      review('invoice-triage', 'edited'),
      review('invoice-triage', 'rejected'),
      review('invoice-triage', 'escalated'),
      outcome('support-assistant', 'succeeded'),
    ];

    // Act
    const { published } = await countAndPublish(events);

    // Assess
    expect(published.workflows).toEqual(['invoice-triage', 'support-assistant']);
    const [invoice] = blobsOf('invoice-triage');
    expect(blobsOf('invoice-triage')).toHaveLength(1);
    expect(invoice).toBeDefined();
    if (!invoice) return;
    expect(directive(invoice).Namespace).toBe(INGEST_METRICS_NAMESPACE);
    expect(directive(invoice).Dimensions).toEqual([['service', WORKFLOW_DIMENSION]]);
    expect(invoice.service).toBe(INGEST_METRICS_SERVICE);
    expect(directive(invoice).Metrics).toEqual(
      Object.values(WorkflowMetric).map(({ name, unit }) => ({ Name: name, Unit: unit })),
    );
    expect(invoice).toMatchObject({
      Runs: 3,
      Succeeded: 1,
      Failed: 1,
      CostUsd: 1.25, // $1 priced from 1,000 input tokens + $0.25 reported
      ReportedValueUsd: 4.5,
      Reviews: 4,
      Overrides: 2,
      Escalations: 1,
      LatencyMs: [100, 300],
    });
    const [support] = blobsOf('support-assistant');
    expect(support).toMatchObject({ Runs: 1, Succeeded: 1, CostUsd: 0, Reviews: 0 });
    expect(support && names(support)).not.toContain('LatencyMs');
    expect(warnings).toEqual([]);
  });

  it('publishes pipeline health without a WorkflowId: ingested, duplicates, rejected, conflicts, failed writes and lag', async () => {
    // Prepare
    const first = outcome('w1', 'succeeded');
    const repeat = { ...first, ref: 'm-repeat' };
    const reused = outcome('w1', 'failed');
    const conflicting = {
      ...reused,
      ref: 'm-conflict',
      detail: { ...(reused as { detail: object }).detail, status: 'succeeded' },
    } as IncomingEvent;
    const alreadyStored = outcome('w1', 'succeeded');
    const failing = outcome('w1', 'succeeded');
    const invalid = incoming('ai.workflow.outcome', { workflowId: 'w1', status: 'done' });
    const events = [first, repeat, reused, conflicting, alreadyStored, failing, invalid];
    const store = fakeStore({
      stored: new Set([(alreadyStored as { detail: { eventId: string } }).detail.eventId]),
      failing: new Set([(failing as { detail: { eventId: string } }).detail.eventId]),
    });

    // Act
    const { report } = await countAndPublish(events, { perWorkflow: 'all' }, store);

    // Assess
    const [pipeline, ...others] = pipelineBlobs();
    expect(others).toEqual([]);
    expect(pipeline && directive(pipeline).Dimensions).toEqual([['service']]);
    expect(pipeline && byName(directive(pipeline).Metrics)).toEqual(
      byName(Object.values(PipelineMetric).map(({ name, unit }) => ({ Name: name, Unit: unit }))),
    );
    expect(pipeline).toMatchObject({
      EventsIngested: 2,
      DuplicatesDropped: 2,
      EventsRejected: 1,
      Conflicts: 1,
      EventsFailed: 1,
      IngestionLagMs: [600_000, 600_000],
    });
    expect(report.lagsMs).toEqual([600_000, 600_000]);
    // Only the two counted outcomes reach the workflow's figures, not the repeat, the stored one or the failed write.
    expect(blobsOf('w1')[0]).toMatchObject({ Runs: 2, Succeeded: 1, Failed: 1 });
  });

  it('keeps every blob within the EMF limits of 100 metrics, 100 values per metric and 30 dimensions', async () => {
    // Prepare: 150 workflows, one of them with 250 usage events.
    const events = [
      ...Array.from({ length: 150 }, (_, i) => outcome(`wf-${String(i).padStart(3, '0')}`, 'succeeded')),
      ...Array.from({ length: 250 }, (_, i) => usage('wf-000', { latencyMs: i })),
    ];

    // Act
    await countAndPublish(events);

    // Assess
    const all = blobs();
    for (const blob of all) {
      const { Metrics, Dimensions } = directive(blob);
      expect(Metrics.length).toBeLessThanOrEqual(100);
      for (const set of Dimensions) expect(set.length).toBeLessThanOrEqual(30);
      for (const { Name } of Metrics) {
        const value = blob[Name];
        expect(Array.isArray(value) ? value.length : 1).toBeLessThanOrEqual(100);
      }
    }
    expect(new Set(all.map((b) => b[WORKFLOW_DIMENSION]).filter(Boolean)).size).toBe(150);
    const busy = blobsOf('wf-000');
    expect(busy.map((b) => directive(b).Dimensions)).toEqual(
      busy.map(() => [['service', WORKFLOW_DIMENSION]]),
    );
    expect(busy.flatMap((b) => b.LatencyMs as number[])).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(busy.filter((b) => 'Runs' in b)).toHaveLength(1);
    expect(pipelineBlobs().reduce((sum, b) => sum + ((b.EventsIngested as number) ?? 0), 0)).toBe(400);
    const lagBlobs = pipelineBlobs().filter((b) => 'IngestionLagMs' in b);
    expect(lagBlobs.flatMap((b) => b.IngestionLagMs as number[])).toHaveLength(400);
    // No "no metrics to publish" when 400 lags fill whole blobs, and no dimension added twice.
    expect(warnings).toEqual([]);
  });

  it("publishes only pipeline health when per-workflow metrics are 'off'", async () => {
    // Prepare
    const events = [outcome('invoice-triage', 'succeeded'), usage('kb-embeddings')];

    // Act
    const { published } = await countAndPublish(events, { perWorkflow: 'off' });

    // Assess
    expect(published).toEqual({ workflows: [], withheld: ['invoice-triage', 'kb-embeddings'] });
    expect(blobs().some((b) => WORKFLOW_DIMENSION in b)).toBe(false);
    expect(pipelineBlobs()[0]).toMatchObject({ EventsIngested: 2 });
  });

  it("publishes per-workflow metrics only for catalog workflows when set to 'catalog'", async () => {
    // Prepare
    const catalog = parseCatalog(
      {
        version: 1,
        workflows: [
          { id: 'invoice-triage', name: 'Invoice triage', ownerTeam: 'Finance', stage: 'production' },
        ],
      },
      'test catalog',
    );
    const events = [outcome('invoice-triage', 'succeeded'), outcome('made-up-by-a-producer', 'succeeded')];

    // Act
    const { published } = await countAndPublish(events, { perWorkflow: 'catalog', catalog });

    // Assess
    expect(published).toEqual({ workflows: ['invoice-triage'], withheld: ['made-up-by-a-producer'] });
    expect(blobsOf('invoice-triage')).toHaveLength(1);
    expect(blobsOf('made-up-by-a-producer')).toHaveLength(0);
  });

  it("defaults to 'catalog', which without a catalog publishes no per-workflow metrics", async () => {
    // Act
    const { published } = await countAndPublish([outcome('invoice-triage', 'succeeded')], {});

    // Assess
    expect(published.withheld).toEqual(['invoice-triage']);
    expect(blobs().some((b) => WORKFLOW_DIMENSION in b)).toBe(false);
  });

  it('flushes metrics stored earlier by someone else before adding a WorkflowId, so they never carry it', async () => {
    // Prepare
    const metrics = newMetrics();
    metrics.addMetric('SomethingElse', 'Count', 1);
    const events = [outcome('invoice-triage', 'succeeded')];
    const report = await countBatch(events, { store: fakeStore(), price: PRICE, window: WINDOW });

    // Act
    publishBatchMetrics(metrics, report, {
      perWorkflow: 'all',
    });
    metrics.publishStoredMetrics();

    // Assess
    const other = blobs().find((b) => 'SomethingElse' in b);
    expect(other).toBeDefined();
    expect(other && WORKFLOW_DIMENSION in other).toBe(false);
    expect(
      blobs()
        .filter((b) => WORKFLOW_DIMENSION in b)
        .map(names),
    ).toEqual([
      Object.values(WorkflowMetric)
        .map((m) => m.name)
        .filter((n) => n !== 'LatencyMs'),
    ]);
  });

  it('leaves the pipeline metrics for the logMetrics middleware to flush at the end of the invocation', async () => {
    // Prepare
    const metrics = newMetrics();
    const events = [outcome('invoice-triage', 'succeeded')];
    const handler = middy(async () => {
      const report = await countBatch(events, { store: fakeStore(), price: PRICE, window: WINDOW });
      publishBatchMetrics(metrics, report, {
        perWorkflow: 'all',
      });
      return pipelineBlobs().length;
    }).use(logMetrics(metrics));

    // Act
    const pipelineBlobsDuringHandler = await handler({}, { functionName: 'aggregate' } as Context);

    // Assess
    expect(pipelineBlobsDuringHandler).toBe(0);
    expect(blobsOf('invoice-triage')).toHaveLength(1);
    expect(pipelineBlobs()).toHaveLength(1);
    expect(pipelineBlobs()[0]).toMatchObject({ EventsIngested: 1 });
    expect(warnings).toEqual([]);
  });
});

describe('parsePerWorkflowMetrics', () => {
  it.each([
    [undefined, 'catalog'],
    ['', 'catalog'],
    ['all', 'all'],
    ['catalog', 'catalog'],
    [' off ', 'off'],
  ])('reads %j as %s', (value, mode) => {
    // Act
    const result = parsePerWorkflowMetrics(value);

    // Assess
    expect(result).toBe(mode);
  });

  it('refuses an unknown value, naming the allowed ones', () => {
    // Act
    const parse = () => parsePerWorkflowMetrics('some');

    // Assess
    expect(parse).toThrow(/all, catalog, off; got "some"/);
  });
});

describe('per-workflow cost', () => {
  it('is nine custom metrics at $0.30 a month, $2.70 per workflow', () => {
    // Assess
    expect(Object.keys(WorkflowMetric)).toHaveLength(9);
    expect(PER_WORKFLOW_USD_PER_MONTH).toBeCloseTo(2.7, 10);
  });
});

describe('the aggregate handler with metrics', () => {
  it('publishes the batch metrics through the logMetrics middleware when given a Metrics instance', async () => {
    // Prepare
    const { createAggregateHandler } = await import('../../functions/aggregate/handler.ts');
    const { createLogger } = await import('../../shared/telemetry/logger.ts');
    const { sqsEventOf } = await import('../support/local-mode.ts');
    const handler = createAggregateHandler({
      store: fakeStore(),
      price: PRICE,
      logger: createLogger('test'),
      metrics: newMetrics(),
      metricsOptions: { perWorkflow: 'all' },
      now: () => NOW,
    });
    const event = sqsEventOf([
      {
        messageId: 'm1',
        detailType: 'ai.workflow.outcome',
        detail: {
          schemaVersion: 1,
          eventId: 'e1',
          workflowId: 'invoice-triage',
          occurredAt: new Date(NOW - 60_000).toISOString(),
          status: 'succeeded',
        },
      },
    ]);

    // Act
    const response = await handler(event, { functionName: 'aggregate' } as Context);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const all = blobs();
    expect(all.some((b) => b[WORKFLOW_DIMENSION] === 'invoice-triage' && b.Runs === 1)).toBe(true);
    expect(all.some((b) => b.EventsIngested === 1 && !(WORKFLOW_DIMENSION in b))).toBe(true);
  });
});
