import type { VariantAssignmentName } from '../catalog/schema.ts';
import { type Claimed, withClaim } from './compare.ts';
import type { Counters } from './counters.ts';
import { type CostDifference, costDifference, type MeasuredValue, measuredValue } from './measured-value.ts';
import { newcombeDifference, type ProportionDifference } from './newcombe.ts';
import { quantityMoments, type VariantMetrics } from './variant-metrics.ts';
import { type MeanDifference, welchFromMoments } from './welch.ts';

/** One arm of a comparison: its name, exact counters and derived metrics. */
export interface Arm {
  readonly variant: string;
  readonly counters: Counters;
  readonly metrics: VariantMetrics;
}

/**
 * A variant against the workflow's baseline: every difference is variant − baseline with its 95 %
 * interval, null when either arm has too little data (never 0), and `claimed: false` below the
 * documented minimum per arm (compare.ts). Observational comparisons are `confounded`.
 */
export interface VariantComparison {
  readonly variant: string;
  readonly baseline: string;
  readonly assignment: VariantAssignmentName;
  /** True unless runs were assigned at random: the arms may differ in more than the variant. */
  readonly possiblyConfounded: boolean;
  readonly successRate: Claimed<ProportionDifference> | null;
  readonly acceptanceRate: Claimed<ProportionDifference> | null;
  readonly overrideRate: Claimed<ProportionDifference> | null;
  readonly durationMs: Claimed<MeanDifference> | null;
  readonly qualityScore: Claimed<MeanDifference> | null;
  readonly valueUsdPerRun: Claimed<MeanDifference> | null;
  /** AI cost plus labour cost per run; its interval is the duration's, priced. */
  readonly costPerRunUsd: Claimed<CostDifference> | null;
  /** The saving per run against the baseline times the variant's runs in the range. */
  readonly measuredValueUsd: Claimed<MeasuredValue> | null;
}

const proportion = (
  arm: Arm,
  successes: (m: VariantMetrics) => number,
  trials: (m: VariantMetrics) => number,
) => ({
  successes: successes(arm.metrics),
  trials: trials(arm.metrics),
});

/**
 * Compares a variant with the baseline.
 *
 * @example
 * ```ts
 * const comparison = compareVariants(ai, human, { laborCostPerHourUsd: 48, assignment: 'randomized' });
 * comparison.measuredValueUsd; // { estimate: 1627.4, low95: 1215.4, high95: 2039.4, runs: 412, claimed: true, … }
 * ```
 */
export const compareVariants = (
  variant: Arm,
  baseline: Arm,
  settings: { readonly laborCostPerHourUsd: number | null; readonly assignment: VariantAssignmentName },
): VariantComparison => {
  const v = variant.metrics;
  const b = baseline.metrics;
  const rate = (
    successes: (m: VariantMetrics) => number,
    trials: (m: VariantMetrics) => number,
    unit: 'runs' | 'reviews',
  ) =>
    withClaim(
      newcombeDifference(proportion(variant, successes, trials), proportion(baseline, successes, trials)),
      unit,
      trials(v),
      trials(b),
    );
  const mean = (quantity: 'durationMs' | 'qualityScore' | 'valueUsd') => {
    const vm = quantityMoments(variant.counters, quantity);
    const bm = quantityMoments(baseline.counters, quantity);
    return withClaim(welchFromMoments(vm, bm), 'values', vm?.count ?? 0, bm?.count ?? 0);
  };
  const durationMs = mean('durationMs');
  const cost = costDifference({
    variantAiCostPerRunUsd: v.aiCostPerRunUsd,
    baselineAiCostPerRunUsd: b.aiCostPerRunUsd,
    durationMs,
    laborCostPerHourUsd: settings.laborCostPerHourUsd,
  });
  // Cost and measured value rest on the duration comparison, so they share its claim.
  const claimOf = <T extends object>(value: T | null): Claimed<T> | null =>
    value === null || durationMs === null
      ? null
      : { ...value, claimed: durationMs.claimed, minimumPerArm: durationMs.minimumPerArm };
  return {
    variant: variant.variant,
    baseline: baseline.variant,
    assignment: settings.assignment,
    possiblyConfounded: settings.assignment !== 'randomized',
    successRate: rate(
      (m) => m.succeeded,
      (m) => m.runs,
      'runs',
    ),
    acceptanceRate: rate(
      (m) => m.accepted,
      (m) => m.reviews,
      'reviews',
    ),
    overrideRate: rate(
      (m) => m.edited + m.rejected,
      (m) => m.reviews,
      'reviews',
    ),
    durationMs,
    qualityScore: mean('qualityScore'),
    valueUsdPerRun: mean('valueUsd'),
    costPerRunUsd: claimOf(cost),
    measuredValueUsd: claimOf(measuredValue(cost, v.runs)),
  };
};
