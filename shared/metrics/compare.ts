import { MIN_REVIEWS_FOR_TRUST, MIN_RUNS_FOR_VERDICT } from '../verdicts/verdict.ts';

/**
 * The smallest sample per arm (variant and baseline each) for which Yardstick claims a comparison.
 * Below it the interval is still returned, marked `claimed: false`, so a surface can show it greyed
 * out as "too few to tell" rather than hide the data.
 * - Runs and reviews (proportions, Newcombe): the interval keeps close to 95 % coverage even with a
 *   handful of trials (Newcombe 1998), so the minimum is about not judging from a few runs, the same bar
 *   the weekly verdict already sets for one arm: imported from the verdict rules, not restated.
 * - Values (means, Welch): the t interval assumes each arm's mean is near normal; durations and values
 *   are right-skewed, and 30 per arm is the usual floor at which the mean of a moderately skewed
 *   quantity is close enough to normal for a t interval to hold its coverage.
 */
export const ComparisonMinimums = {
  runsPerArm: MIN_RUNS_FOR_VERDICT,
  reviewsPerArm: MIN_REVIEWS_FOR_TRUST,
  valuesPerArm: 30,
} as const;

/** What a comparison's sample is counted in: runs (success rate), reviews, or values of a mean. */
export const SampleUnit = { runs: 'runs', reviews: 'reviews', values: 'values' } as const;
export type SampleUnit = (typeof SampleUnit)[keyof typeof SampleUnit];

const minimumFor = {
  runs: 'runsPerArm',
  reviews: 'reviewsPerArm',
  values: 'valuesPerArm',
} as const satisfies {
  [U in SampleUnit]: keyof typeof ComparisonMinimums;
};

/** A difference with whether it may be claimed, and the per-arm minimum it was held to. */
export type Claimed<T> = T & { readonly claimed: boolean; readonly minimumPerArm: number };

/**
 * Whether both arms reach the documented minimum for this kind of sample.
 *
 * @example
 * ```ts
 * mayClaimComparison('values', 412, 48); // true (30 per arm)
 * mayClaimComparison('reviews', 412, 6); // false (10 per arm)
 * ```
 */
export const mayClaimComparison = (
  unit: SampleUnit,
  variantCount: number,
  baselineCount: number,
): boolean => {
  const minimum = ComparisonMinimums[minimumFor[unit]];
  return variantCount >= minimum && baselineCount >= minimum;
};

/**
 * Marks a difference claimed or not by the per-arm sample sizes; null stays null.
 *
 * @example
 * ```ts
 * withClaim(newcombeDifference(ai, human), 'runs', ai.trials, human.trials);
 * // { difference, low95, high95, method: 'newcombe', claimed: true, minimumPerArm: 10 }
 * ```
 */
export const withClaim = <T extends object>(
  difference: T | null,
  unit: SampleUnit,
  variantCount: number,
  baselineCount: number,
): Claimed<T> | null =>
  difference === null
    ? null
    : {
        ...difference,
        claimed: mayClaimComparison(unit, variantCount, baselineCount),
        minimumPerArm: ComparisonMinimums[minimumFor[unit]],
      };
