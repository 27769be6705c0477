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
  /** A lower bound when `costComplete` is false. */
  readonly costUsd: number;
  readonly costReportedUsd: number;
  readonly costCatalogPricedUsd: number;
  /** False when some usage had no costUsd and no catalog price (`unpricedUsageEvents` > 0). */
  readonly costComplete: boolean;
  /**
   * Null when no success has a value source (none reported valueUsd and the catalog assumes no value
   * per success); a lower bound when `valueCoverage` < 1.
   */
  readonly valueUsd: number | null;
  readonly valueReportedUsd: number;
  readonly valueAssumedUsd: number;
  /** Successes whose value is reported or assumed from the catalog. */
  readonly valuedSuccesses: number;
  /** `valuedSuccesses / succeeded`; null with no successes. */
  readonly valueCoverage: number | null;
  /** `valueUsd - costUsd`; null when value is unknown, or when both value and cost are lower bounds. */
  readonly netValueUsd: number | null;
  /** `netValueUsd / costUsd`; null when value is unknown, cost is incomplete or cost is 0. */
  readonly roi: number | null;
  readonly costPerSuccessUsd: number | null;
  /**
   * Reported plus assumed hours; null when no run reported minutesSaved and the catalog assumes no
   * minutes per success: time saved is then unknown, not 0.
   */
  readonly hoursSaved: number | null;
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
 * Successes whose value is known: those that reported valueUsd, plus the rest when the catalog
 * assumes a value per success.
 */
const valuedSuccesses = (counters: Counters, assumptions: ValueAssumptions): bigint =>
  assumptions.valuePerSuccessUsd === undefined
    ? counters.values.succeededWithValue
    : counters.values.succeeded;

/**
 * Whether value is a figure at all: the catalog assumes a value per success (so no success is $0,
 * known), or at least one success reported valueUsd. Otherwise it is unknown, which is not $0.
 */
const valueIsKnown = (counters: Counters, assumptions: ValueAssumptions): boolean =>
  assumptions.valuePerSuccessUsd !== undefined || counters.values.succeededWithValue > 0n;

/**
 * Whether net value is a figure at all: not when value is unknown, and not when value and cost are
 * both lower bounds (their difference could be anything). The fleet's sums use the same rule.
 *
 * @example
 * ```ts
 * netIsKnown({ valueKnown: true, valueComplete: false, costComplete: false }); // false
 * ```
 */
export const netIsKnown = (f: { valueKnown: boolean; valueComplete: boolean; costComplete: boolean }) =>
  f.valueKnown && (f.valueComplete || f.costComplete);

/**
 * Whether ROI is a figure: net must be known, cost complete and not zero.
 *
 * @example
 * ```ts
 * roiIsKnown({ netKnown: true, costComplete: true, costIsZero: false }); // true
 * ```
 */
export const roiIsKnown = (f: { netKnown: boolean; costComplete: boolean; costIsZero: boolean }) =>
  f.netKnown && f.costComplete && !f.costIsZero;

/**
 * Derives the metrics of docs/counting.md (Metrics) from exact counters and the catalog's assumptions.
 *
 * @example
 * ```ts
 * const metrics = deriveMetrics(counters, { valuePerSuccessUsd: 4, minutesSavedPerSuccess: 6 });
 * metrics.roi; // null when cost is 0 or incomplete, or no success has a value source
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
  const valued = valuedSuccesses(counters, assumptions);
  const valueKnown = valueIsKnown(counters, assumptions);
  const costComplete = c.unpricedUsageEvents === 0n;
  const netKnown = netIsKnown({
    valueKnown,
    valueComplete: valued === c.succeeded,
    costComplete,
  });
  const roiKnown = roiIsKnown({ netKnown, costComplete, costIsZero: costNanos === 0n });
  const netNanos = valueNanos - costNanos;

  const minutesReported = n(c.minutesSavedReportedMilli) / 1000;
  const minutesAssumed = n(c.succeeded - c.succeededWithMinutes) * (assumptions.minutesSavedPerSuccess ?? 0);
  const minutesKnown =
    assumptions.minutesSavedPerSuccess !== undefined ||
    c.succeededWithMinutes > 0n ||
    c.minutesSavedReportedMilli > 0n;

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
    costComplete,
    valueUsd: valueKnown ? nanosToUsd(valueNanos) : null,
    valueReportedUsd: nanosToUsd(c.valueReportedNanos),
    valueAssumedUsd: nanosToUsd(valueAssumedNanos),
    valuedSuccesses: n(valued),
    valueCoverage: round(ratio(n(valued), n(c.succeeded))),
    netValueUsd: netKnown ? nanosToUsd(netNanos) : null,
    roi: roiKnown ? round(Number(netNanos) / Number(costNanos), 4) : null,
    costPerSuccessUsd: c.succeeded === 0n ? null : round(nanosToUsd(costNanos) / n(c.succeeded), 9),
    hoursSaved: minutesKnown ? round((minutesReported + minutesAssumed) / 60, 4) : null,
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
