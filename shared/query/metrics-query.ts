import type { LoadedCatalog } from '../catalog/load.ts';
import { type Counters, emptyCounters, mergeCounters } from '../metrics/counters.ts';
import { deriveMetrics, type WorkflowMetrics } from '../metrics/derive.ts';
import type { MetricsStore } from '../store/port.ts';
import { bucketKey, bucketSizeMs, bucketStartIso, type GranularityName } from '../time.ts';

export interface MetricsRange {
  readonly workflowId: string;
  /** Inclusive, aligned to the granularity. */
  readonly fromMs: number;
  /** Exclusive, aligned to the granularity. */
  readonly toMs: number;
  readonly granularity: GranularityName;
}

/** Where the value figures came from: what the workflow reported and what the catalog assumed. */
export interface Assumptions {
  readonly source: 'catalog' | 'none';
  readonly catalog: string;
  readonly valuePerSuccessUsd: number | null;
  readonly minutesSavedPerSuccess: number | null;
  readonly valueReportedUsd: number;
  readonly valueAssumedUsd: number;
  readonly hoursSavedReported: number;
  readonly hoursSavedAssumed: number;
  readonly costReportedUsd: number;
  readonly costCatalogPricedUsd: number;
  /** Price table entries used at ingestion for usage without `costUsd`, with the events they priced. */
  readonly pricedBy: Record<string, number>;
  readonly unpricedUsageEvents: number;
  readonly notes: readonly string[];
}

export interface WorkflowMetricsResponse {
  readonly workflowId: string;
  readonly from: string;
  readonly to: string;
  readonly granularity: GranularityName;
  readonly totals: WorkflowMetrics;
  readonly series: ReadonlyArray<{ readonly start: string } & WorkflowMetrics>;
  readonly assumptions: Assumptions;
}

/**
 * Sums a workflow's stored counters (or, with `variant`, a named variant's) over a range, returning
 * the buckets (empty ones included) and the total.
 */
export const readRange = async (store: MetricsStore, range: MetricsRange, variant?: string) => {
  const size = bucketSizeMs(range.granularity);
  const buckets = await store.readBuckets(
    range.workflowId,
    range.granularity,
    bucketKey(range.granularity, range.fromMs),
    bucketKey(range.granularity, range.toMs),
    variant,
  );
  const byKey = new Map(buckets.map((bucket) => [bucket.key, bucket.counters]));
  const series: Array<{ key: string; counters: Counters }> = [];
  const total = emptyCounters();
  for (let start = range.fromMs; start < range.toMs; start += size) {
    const key = bucketKey(range.granularity, start);
    const counters = byKey.get(key) ?? emptyCounters();
    mergeCounters(total, counters);
    series.push({ key, counters });
  }
  return { series, total };
};

const describeAssumptions = (
  catalog: LoadedCatalog,
  workflowId: string,
  total: Counters,
  metrics: WorkflowMetrics,
) => {
  const workflow = catalog.workflow(workflowId);
  const assumed = catalog.assumptionsFor(workflowId);
  const notes: string[] = [];
  if (!workflow)
    notes.push(`${workflowId} is not in the catalog: value and hours saved count only what it reported.`);
  else {
    if (assumed.valuePerSuccessUsd === undefined)
      notes.push(
        'No valuePerSuccessUsd in the catalog: successes that reported no valueUsd have an unknown value (valueCoverage says how many did), and with none reported valueUsd, netValueUsd and roi are null.',
      );
    if (assumed.minutesSavedPerSuccess === undefined)
      notes.push(
        'No minutesSavedPerSuccess in the catalog: successes that reported no minutesSaved add no time.',
      );
  }
  if (metrics.unpricedUsageEvents > 0)
    notes.push(
      `${metrics.unpricedUsageEvents} usage events had no costUsd and no catalog price: their cost is unknown, not $0, so costUsd is a lower bound (costComplete: false) and roi is null.`,
    );
  return {
    source: workflow ? ('catalog' as const) : ('none' as const),
    catalog: catalog.origin,
    valuePerSuccessUsd: assumed.valuePerSuccessUsd ?? null,
    minutesSavedPerSuccess: assumed.minutesSavedPerSuccess ?? null,
    valueReportedUsd: metrics.valueReportedUsd,
    valueAssumedUsd: metrics.valueAssumedUsd,
    hoursSavedReported: metrics.hoursSavedReported,
    hoursSavedAssumed: metrics.hoursSavedAssumed,
    costReportedUsd: metrics.costReportedUsd,
    costCatalogPricedUsd: metrics.costCatalogPricedUsd,
    pricedBy: Object.fromEntries([...total.pricedBy].map(([ref, count]) => [ref, Number(count)])),
    unpricedUsageEvents: metrics.unpricedUsageEvents,
    notes,
  };
};

/**
 * The metrics of one workflow over a range: totals, one entry per bucket, and the assumptions behind
 * every value figure. An unknown workflow yields zero counters and null rates: absence is data.
 *
 * @example
 * ```ts
 * await queryWorkflowMetrics(store, catalog, { workflowId: 'invoice-triage', fromMs, toMs, granularity: 'day' });
 * ```
 */
export const queryWorkflowMetrics = async (
  store: MetricsStore,
  catalog: LoadedCatalog,
  range: MetricsRange,
): Promise<WorkflowMetricsResponse> => {
  const { series, total } = await readRange(store, range);
  const assumptions = catalog.assumptionsFor(range.workflowId);
  const totals = deriveMetrics(total, assumptions);
  return {
    workflowId: range.workflowId,
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    granularity: range.granularity,
    totals,
    series: series.map(({ key, counters }) => ({
      start: bucketStartIso(key),
      ...deriveMetrics(counters, assumptions),
    })),
    assumptions: describeAssumptions(catalog, range.workflowId, total, totals),
  };
};
