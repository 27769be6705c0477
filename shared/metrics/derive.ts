import { nanosToUsd, usdToNanos } from '../money.ts';
import type { Counters } from './counters.ts';
import { SKETCH_RELATIVE_ERROR } from './distinct-sketch.ts';
import { LATENCY_RELATIVE_ERROR, latencyQuantile } from './latency-histogram.ts';
import { wilsonInterval } from './wilson.ts';

/** Catalog assumptions applied at read time to successes that reported no value or time saved. */
export interface ValueAssumptions {
  readonly valuePerSuccessUsd?: number;
  readonly minutesSavedPerSuccess?: number;
}

export interface ReasonCount {
  readonly reasonCode: string;
  readonly count: number;
}

/** Every metric of docs/counting.md (Metrics), the raw counters, and where each value figure came from. */
export interface WorkflowMetrics {
  readonly usageEvents: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly unpricedUsageEvents: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly abandoned: number;
  readonly accepted: number;
  readonly edited: number;
  readonly rejected: number;
  readonly escalated: number;
  readonly runs: number;
  readonly successRate: number | null;
  readonly costUsd: number;
  readonly costReportedUsd: number;
  readonly costCatalogPricedUsd: number;
  readonly valueUsd: number;
  readonly valueReportedUsd: number;
  readonly valueAssumedUsd: number;
  readonly netValueUsd: number;
  readonly roi: number | null;
  readonly costPerSuccessUsd: number | null;
  readonly hoursSaved: number;
  readonly hoursSavedReported: number;
  readonly hoursSavedAssumed: number;
  readonly reviews: number;
  readonly reviewRate: number | null;
  readonly acceptanceRate: number | null;
  readonly acceptanceRateLow95: number | null;
  readonly acceptanceRateHigh95: number | null;
  readonly overrideRate: number | null;
  readonly overrideRateLow95: number | null;
  readonly overrideRateHigh95: number | null;
  readonly escalationRate: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly latencyRelativeError: number;
  readonly avgQualityScore: number | null;
  readonly activeUsers: number;
  /** Standard error of `activeUsers`, which comes from a HyperLogLog sketch. */
  readonly activeUsersRelativeError: number;
  readonly topOverrideReasons: readonly ReasonCount[];
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

const round = (value: number | null, digits = 6): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Derives the metrics of docs/counting.md (Metrics) from exact counters and the catalog's assumptions.
 *
 * @example
 * ```ts
 * const metrics = deriveMetrics(counters, { valuePerSuccessUsd: 4, minutesSavedPerSuccess: 6 });
 * metrics.roi; // null when cost is 0
 * ```
 */
export const deriveMetrics = (counters: Counters, assumptions: ValueAssumptions = {}): WorkflowMetrics => {
  const c = counters.values;
  const n = (value: bigint): number => Number(value);
  const runs = n(c.succeeded + c.failed + c.abandoned);
  const reviews = n(c.accepted + c.edited + c.rejected + c.escalated);

  const costNanos = c.costReportedNanos + c.costPricedNanos;
  const successesWithoutValue = c.succeeded - c.succeededWithValue;
  const valueAssumedNanos =
    assumptions.valuePerSuccessUsd === undefined
      ? 0n
      : usdToNanos(assumptions.valuePerSuccessUsd) * successesWithoutValue;
  const valueNanos = c.valueReportedNanos + valueAssumedNanos;
  const netNanos = valueNanos - costNanos;

  const minutesReported = n(c.minutesSavedReportedMilli) / 1000;
  const minutesAssumed = n(c.succeeded - c.succeededWithMinutes) * (assumptions.minutesSavedPerSuccess ?? 0);

  const acceptance = wilsonInterval(n(c.accepted), reviews);
  const override = wilsonInterval(n(c.edited + c.rejected), reviews);

  return {
    usageEvents: n(c.usageEvents),
    inputTokens: n(c.inputTokens),
    outputTokens: n(c.outputTokens),
    cachedInputTokens: n(c.cachedInputTokens),
    unpricedUsageEvents: n(c.unpricedUsageEvents),
    succeeded: n(c.succeeded),
    failed: n(c.failed),
    abandoned: n(c.abandoned),
    accepted: n(c.accepted),
    edited: n(c.edited),
    rejected: n(c.rejected),
    escalated: n(c.escalated),
    runs,
    successRate: round(ratio(n(c.succeeded), runs)),
    costUsd: nanosToUsd(costNanos),
    costReportedUsd: nanosToUsd(c.costReportedNanos),
    costCatalogPricedUsd: nanosToUsd(c.costPricedNanos),
    valueUsd: nanosToUsd(valueNanos),
    valueReportedUsd: nanosToUsd(c.valueReportedNanos),
    valueAssumedUsd: nanosToUsd(valueAssumedNanos),
    netValueUsd: nanosToUsd(netNanos),
    roi: costNanos === 0n ? null : round(Number(netNanos) / Number(costNanos), 4),
    costPerSuccessUsd: c.succeeded === 0n ? null : round(nanosToUsd(costNanos) / n(c.succeeded), 9),
    hoursSaved: round((minutesReported + minutesAssumed) / 60, 4) ?? 0,
    hoursSavedReported: round(minutesReported / 60, 4) ?? 0,
    hoursSavedAssumed: round(minutesAssumed / 60, 4) ?? 0,
    reviews,
    reviewRate: round(ratio(reviews, runs)),
    acceptanceRate: round(ratio(n(c.accepted), reviews)),
    acceptanceRateLow95: round(acceptance?.low ?? null),
    acceptanceRateHigh95: round(acceptance?.high ?? null),
    overrideRate: round(ratio(n(c.edited + c.rejected), reviews)),
    overrideRateLow95: round(override?.low ?? null),
    overrideRateHigh95: round(override?.high ?? null),
    escalationRate: round(ratio(n(c.escalated), reviews)),
    latencyP50Ms: latencyQuantile(counters.latency, 0.5),
    latencyP95Ms: latencyQuantile(counters.latency, 0.95),
    latencyRelativeError: round(LATENCY_RELATIVE_ERROR, 4) ?? 0,
    avgQualityScore: round(
      c.qualityScored === 0n ? null : n(c.qualityScoreMilliSum) / 1000 / n(c.qualityScored),
      4,
    ),
    activeUsers: counters.users.estimate,
    activeUsersRelativeError: round(SKETCH_RELATIVE_ERROR, 4) ?? 0,
    topOverrideReasons: [...counters.reasons.entries()]
      .map(([reasonCode, count]) => ({ reasonCode, count: n(count) }))
      .sort((a, b) => b.count - a.count || a.reasonCode.localeCompare(b.reasonCode)),
  };
};
