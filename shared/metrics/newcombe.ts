import { ComparisonInputError } from './comparison-error.ts';
import { wilsonInterval } from './wilson.ts';

/** One arm of a proportion comparison: e.g. succeeded of runs, accepted of reviews. */
export interface ProportionArm {
  readonly successes: number;
  readonly trials: number;
}

/** A difference of two proportions, variant − baseline, with its 95 % interval. */
export interface ProportionDifference {
  readonly difference: number;
  readonly low95: number;
  readonly high95: number;
  readonly method: 'newcombe';
}

const checkArm = (name: string, arm: ProportionArm): void => {
  const { successes, trials } = arm;
  if (!Number.isSafeInteger(successes) || !Number.isSafeInteger(trials) || successes < 0 || trials < 0)
    throw new ComparisonInputError(`${name}: successes and trials must be integers ≥ 0`);
  if (successes > trials)
    throw new ComparisonInputError(`${name}: successes (${successes}) exceed trials (${trials})`);
};

/**
 * The difference of two proportions p1 − p2 (variant − baseline) with Newcombe's hybrid score
 * interval (Newcombe 1998, method 10). It is built from the two arms' Wilson intervals (z = 1.96, the
 * same intervals every other Yardstick rate shows), so it stays honest with few trials and near 0 or 1,
 * where the textbook Wald interval is too narrow or overshoots [−1, 1]:
 *
 *   low  = d − √((p1 − l1)² + (u2 − p2)²)
 *   high = d + √((u1 − p1)² + (p2 − l2)²)
 *
 * Returns null when either arm has no trials (there is no rate to compare).
 *
 * @throws {ComparisonInputError} for negative or fractional counts, or successes above trials.
 * @example
 * ```ts
 * newcombeDifference({ successes: 56, trials: 70 }, { successes: 48, trials: 80 });
 * // { difference: 0.2, low95: 0.0524, high95: 0.3339, method: 'newcombe' } (rounded)
 * ```
 */
export const newcombeDifference = (
  variant: ProportionArm,
  baseline: ProportionArm,
): ProportionDifference | null => {
  checkArm('variant', variant);
  checkArm('baseline', baseline);
  const w1 = wilsonInterval(variant.successes, variant.trials);
  const w2 = wilsonInterval(baseline.successes, baseline.trials);
  if (w1 === null || w2 === null) return null;
  const p1 = variant.successes / variant.trials;
  const p2 = baseline.successes / baseline.trials;
  const difference = p1 - p2;
  // Each bound only needs the side of each Wilson interval that points the same way as the bound.
  const low95 = difference - Math.hypot(p1 - w1.low, w2.high - p2);
  const high95 = difference + Math.hypot(w1.high - p1, p2 - w2.low);
  // The construction stays within [−1, 1] mathematically; the clamp only absorbs rounding.
  return { difference, low95: Math.max(-1, low95), high95: Math.min(1, high95), method: 'newcombe' };
};
