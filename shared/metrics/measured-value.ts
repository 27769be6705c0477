import { ComparisonInputError } from './comparison-error.ts';
import type { MeanDifference } from './welch.ts';

/** A USD difference per run, variant − baseline, with its 95 % interval. */
export interface CostDifference {
  readonly difference: number;
  readonly low95: number;
  readonly high95: number;
}

export interface CostDifferenceInput {
  /** AI (model) cost per run of each arm; 0 for a human-only arm, null when unknown or incomplete. */
  readonly variantAiCostPerRunUsd: number | null;
  readonly baselineAiCostPerRunUsd: number | null;
  /** The Welch difference of durationMs, variant − baseline. */
  readonly durationMs: MeanDifference | null;
  readonly laborCostPerHourUsd: number | null;
}

const MS_PER_HOUR = 3_600_000;

/**
 * The difference in cost per run, variant − baseline, where cost per run = AI cost per run + labour
 * cost per run (durationMs × laborCostPerHourUsd / 3,600,000). The AI cost per run is treated as known
 * (it is summed from every usage event, not sampled), so the only uncertainty is the duration's: the
 * interval is the AI cost difference plus the labour rate times the duration interval. Null when any
 * input is null.
 *
 * @throws {ComparisonInputError} for a negative or non-finite labour rate.
 * @example
 * ```ts
 * costDifference({ variantAiCostPerRunUsd: 0.05, baselineAiCostPerRunUsd: 0,
 *   durationMs: { difference: -240_000, low95: -300_000, high95: -180_000, df: 60, method: 'welch' },
 *   laborCostPerHourUsd: 60 });
 * // { difference: -3.95, low95: -4.95, high95: -2.95 }
 * ```
 */
export const costDifference = (input: CostDifferenceInput): CostDifference | null => {
  const {
    variantAiCostPerRunUsd: ai1,
    baselineAiCostPerRunUsd: ai2,
    durationMs,
    laborCostPerHourUsd,
  } = input;
  if (ai1 === null || ai2 === null || durationMs === null || laborCostPerHourUsd === null) return null;
  if (!(laborCostPerHourUsd >= 0) || !Number.isFinite(laborCostPerHourUsd))
    throw new ComparisonInputError(`laborCostPerHourUsd must be finite and ≥ 0, got ${laborCostPerHourUsd}`);
  const perMs = laborCostPerHourUsd / MS_PER_HOUR;
  const aiDifference = ai1 - ai2;
  // A rate ≥ 0 keeps the order of the bounds, so the interval maps end to end.
  return {
    difference: aiDifference + perMs * durationMs.difference,
    low95: aiDifference + perMs * durationMs.low95,
    high95: aiDifference + perMs * durationMs.high95,
  };
};

/** Money saved against the baseline over the variant's runs, with its 95 % interval. */
export interface MeasuredValue {
  readonly estimate: number;
  readonly low95: number;
  readonly high95: number;
  readonly runs: number;
}

/**
 * Measured value: the saving per run against the baseline (baseline cost per run − variant cost per
 * run, so the cost difference negated, bounds swapped) times the variant's runs in the range. Null
 * when the cost difference is null.
 *
 * @throws {ComparisonInputError} for a negative or fractional run count.
 * @example
 * ```ts
 * measuredValue({ difference: -3.95, low95: -4.95, high95: -2.95 }, 412);
 * // { estimate: 1627.4, low95: 1215.4, high95: 2039.4, runs: 412 }
 * ```
 */
export const measuredValue = (cost: CostDifference | null, variantRuns: number): MeasuredValue | null => {
  if (cost === null) return null;
  if (!Number.isSafeInteger(variantRuns) || variantRuns < 0)
    throw new ComparisonInputError(`variantRuns must be an integer ≥ 0, got ${variantRuns}`);
  return {
    estimate: -cost.difference * variantRuns,
    low95: -cost.high95 * variantRuns,
    high95: -cost.low95 * variantRuns,
    runs: variantRuns,
  };
};
