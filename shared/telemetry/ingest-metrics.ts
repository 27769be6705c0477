import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions, MetricUnit as MetricUnitName } from '@aws-lambda-powertools/metrics/types';
import type { LoadedCatalog } from '../catalog/load.ts';
import type { BatchReport } from '../ingest/count-batch.ts';
import { batchFigures, type WorkflowBatchFigures } from './batch-figures.ts';

/** The CloudWatch namespace of Yardstick's EMF metrics (the stack's `YARDSTICK_METRICS_NAMESPACE`). */
export const INGEST_METRICS_NAMESPACE = 'Yardstick';
/** The `service` dimension Powertools puts on every metric of the aggregate function. */
export const INGEST_METRICS_SERVICE = 'yardstick-aggregate';
/** The dimension that carries the workflow on per-workflow metrics. */
export const WORKFLOW_DIMENSION = 'WorkflowId';

/** Per-workflow metrics, each with the dimensions `service` and `WorkflowId`. Keep this list short: each costs money per workflow. */
export const WorkflowMetric = {
  runs: { name: 'Runs', unit: MetricUnit.Count },
  succeeded: { name: 'Succeeded', unit: MetricUnit.Count },
  failed: { name: 'Failed', unit: MetricUnit.Count },
  costUsd: { name: 'CostUsd', unit: MetricUnit.NoUnit },
  reportedValueUsd: { name: 'ReportedValueUsd', unit: MetricUnit.NoUnit },
  reviews: { name: 'Reviews', unit: MetricUnit.Count },
  overrides: { name: 'Overrides', unit: MetricUnit.Count },
  escalations: { name: 'Escalations', unit: MetricUnit.Count },
  latencyMs: { name: 'LatencyMs', unit: MetricUnit.Milliseconds },
} as const;

/** Pipeline health metrics, with the dimension `service` only: one of each for the whole fleet. */
export const PipelineMetric = {
  eventsIngested: { name: 'EventsIngested', unit: MetricUnit.Count },
  duplicatesDropped: { name: 'DuplicatesDropped', unit: MetricUnit.Count },
  eventsRejected: { name: 'EventsRejected', unit: MetricUnit.Count },
  conflicts: { name: 'Conflicts', unit: MetricUnit.Count },
  eventsFailed: { name: 'EventsFailed', unit: MetricUnit.Count },
  ingestionLagMs: { name: 'IngestionLagMs', unit: MetricUnit.Milliseconds },
} as const;

/** Which workflows get per-workflow metrics. */
export const PerWorkflowMetrics = {
  /** Every workflowId seen: producers choose ids, so the metric count (and bill) is theirs to grow. */
  all: 'all',
  /** Only workflows in the catalog: the metric count is bounded by a reviewed file. */
  catalog: 'catalog',
  /** Pipeline health only. */
  off: 'off',
} as const;
export type PerWorkflowMetricsName = (typeof PerWorkflowMetrics)[keyof typeof PerWorkflowMetrics];

/** CloudWatch custom metric price, first 10,000 metrics, USD per metric-month (us-east-1). */
export const CUSTOM_METRIC_USD_PER_MONTH = 0.3;

/**
 * The most a workflow adds to the CloudWatch bill per month with per-workflow metrics on: one custom
 * metric per name (one dimension set each), charged for the hours it receives data.
 */
export const PER_WORKFLOW_USD_PER_MONTH = Object.keys(WorkflowMetric).length * CUSTOM_METRIC_USD_PER_MONTH;

/** EMF limit: values of one metric in one blob. Powertools flushes on reaching it. */
const MAX_VALUES_PER_METRIC = 100;

export interface IngestMetricsOptions {
  /** @default 'catalog' */
  readonly perWorkflow?: PerWorkflowMetricsName;
  /** The catalog that `'catalog'` filters by; without it `'catalog'` publishes no per-workflow metrics. */
  readonly catalog?: Pick<LoadedCatalog, 'workflow'>;
}

export interface PublishedBatchMetrics {
  /** Workflows that got per-workflow metrics, sorted. */
  readonly workflows: readonly string[];
  /** Workflows with counted events that the option left out. */
  readonly withheld: readonly string[];
}

/**
 * The Powertools Metrics instance of the aggregate function: namespace `Yardstick`, service
 * `yardstick-aggregate`.
 *
 * @example
 * ```ts
 * const metrics = createIngestMetrics();
 * const handler = middy(lambdaHandler).use(logMetrics(metrics));
 * ```
 */
export const createIngestMetrics = (options: MetricsOptions = {}): Metrics =>
  new Metrics({ namespace: INGEST_METRICS_NAMESPACE, serviceName: INGEST_METRICS_SERVICE, ...options });

/**
 * Reads the per-workflow metrics option (e.g. the `PER_WORKFLOW_METRICS` variable); unset means
 * `'catalog'`, anything else unknown is an error so a typo fails at cold start, not on the bill.
 *
 * @example
 * ```ts
 * parsePerWorkflowMetrics(process.env.PER_WORKFLOW_METRICS); // 'catalog'
 * ```
 */
export const parsePerWorkflowMetrics = (value: string | undefined): PerWorkflowMetricsName => {
  const mode = (value ?? '').trim() || PerWorkflowMetrics.catalog;
  if ((Object.values(PerWorkflowMetrics) as string[]).includes(mode)) return mode as PerWorkflowMetricsName;
  throw new RangeError(
    `per-workflow metrics must be one of ${Object.values(PerWorkflowMetrics).join(', ')}; got "${value}"`,
  );
};

const addIfFinite = (
  metrics: Metrics,
  metric: { readonly name: string; readonly unit: MetricUnitName },
  value: number,
) => {
  if (Number.isFinite(value)) metrics.addMetric(metric.name, metric.unit, value);
};

const flush = (metrics: Metrics) => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};

const chunks = <T>(values: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
};

// One blob per workflow (more for > 100 latencies): Powertools puts every stored metric under the
// same dimension set, so metrics of two workflows must never share a flush.
const publishWorkflow = (metrics: Metrics, workflowId: string, figures: WorkflowBatchFigures) => {
  const [first = [], ...more] = chunks(figures.latenciesMs, MAX_VALUES_PER_METRIC);
  metrics.addDimension(WORKFLOW_DIMENSION, workflowId);
  addIfFinite(metrics, WorkflowMetric.runs, figures.runs);
  addIfFinite(metrics, WorkflowMetric.succeeded, figures.succeeded);
  addIfFinite(metrics, WorkflowMetric.failed, figures.failed);
  addIfFinite(metrics, WorkflowMetric.costUsd, figures.costUsd);
  addIfFinite(metrics, WorkflowMetric.reportedValueUsd, figures.reportedValueUsd);
  addIfFinite(metrics, WorkflowMetric.reviews, figures.reviews);
  addIfFinite(metrics, WorkflowMetric.overrides, figures.overrides);
  addIfFinite(metrics, WorkflowMetric.escalations, figures.escalations);
  // Latencies last: Powertools flushes (and drops the WorkflowId dimension) when a metric reaches 100 values.
  for (const latency of first) addIfFinite(metrics, WorkflowMetric.latencyMs, latency);
  flush(metrics);
  for (const chunk of more) {
    metrics.addDimension(WORKFLOW_DIMENSION, workflowId);
    for (const latency of chunk) addIfFinite(metrics, WorkflowMetric.latencyMs, latency);
    flush(metrics);
  }
};

/**
 * Emits a counted batch as CloudWatch Embedded Metric Format through Powertools Metrics.
 *
 * Per workflow (as the option allows): runs, succeeded, failed, cost, reported value, reviews,
 * overrides, escalations and usage latency, published at once in their own blob with the
 * `WorkflowId` dimension. Then the pipeline's health (events ingested, duplicates dropped, events
 * rejected, conflicts, failed writes, ingestion lag) is stored without it, for the `logMetrics`
 * middleware to flush at the end of the invocation. Anything already stored on `metrics` is flushed
 * first so it never picks up a `WorkflowId`. Only counted events contribute per-workflow figures.
 * EMF is at-least-once: dashboards are approximate, the API and digest are the authoritative numbers.
 *
 * @example
 * ```ts
 * const report = await countBatch(incoming, { store, price, window });
 * publishBatchMetrics(metrics, report, { perWorkflow: 'catalog', catalog });
 * ```
 */
export const publishBatchMetrics = (
  metrics: Metrics,
  report: BatchReport,
  options: IngestMetricsOptions = {},
): PublishedBatchMetrics => {
  const { pipeline, workflows } = batchFigures(report, report.counted);
  const mode = options.perWorkflow ?? PerWorkflowMetrics.catalog;
  const published: string[] = [];
  const withheld: string[] = [];
  for (const workflowId of workflows.keys()) {
    const allowed =
      mode === PerWorkflowMetrics.all ||
      (mode === PerWorkflowMetrics.catalog && options.catalog?.workflow(workflowId) !== undefined);
    (allowed ? published : withheld).push(workflowId);
  }
  if (published.length > 0) flush(metrics);
  for (const workflowId of published) {
    const figures = workflows.get(workflowId);
    if (figures) publishWorkflow(metrics, workflowId, figures);
  }

  // Lags first, counters last: the store is never left empty for the middleware's flush.
  for (const lag of pipeline.lagsMs) addIfFinite(metrics, PipelineMetric.ingestionLagMs, lag);
  addIfFinite(metrics, PipelineMetric.eventsIngested, pipeline.counted);
  addIfFinite(metrics, PipelineMetric.duplicatesDropped, pipeline.duplicates);
  addIfFinite(metrics, PipelineMetric.eventsRejected, pipeline.quarantined);
  addIfFinite(metrics, PipelineMetric.conflicts, pipeline.conflicts);
  addIfFinite(metrics, PipelineMetric.eventsFailed, pipeline.failed);
  return { workflows: published, withheld };
};
