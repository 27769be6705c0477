import quantile from '@stdlib/stats-base-dists-t-quantile';
import { ComparisonInputError } from './comparison-error.ts';
import { type MomentSums, type Moments, momentsFromNumberSums } from './moments.ts';

/** A difference of two means, variant − baseline, with its 95 % Welch interval. */
export interface MeanDifference {
  readonly difference: number;
  readonly low95: number;
  readonly high95: number;
  /** Welch–Satterthwaite degrees of freedom; null when both arms have zero spread (no t to take). */
  readonly df: number | null;
  readonly method: 'welch';
}

// Beyond this the t quantile equals the normal one to 16 digits, and the library returns 0 from about
// 1e17 on; Welch's df never exceeds n1 + n2 − 2, so only absurd counts reach the cap.
const MAX_DF = 1e15;

/**
 * The two-sided 95 % Student t quantile (probability 0.975) for `df` degrees of freedom, from stdlib.
 *
 * @throws {ComparisonInputError} when df is not a positive finite number.
 * @example
 * ```ts
 * tQuantile975(10); // 2.2281388519862744
 * ```
 */
export const tQuantile975 = (df: number): number => {
  if (!(df > 0) || !Number.isFinite(df)) throw new ComparisonInputError(`df must be positive, got ${df}`);
  return quantile(0.975, Math.min(df, MAX_DF));
};

/**
 * Welch's interval for mean1 − mean2 (variant − baseline) from each arm's moments: it does not
 * assume equal variances, which arms as different as an AI flow and a human-only baseline never have.
 *
 *   se² = s1²/n1 + s2²/n2,  df = se⁴ / ((s1²/n1)²/(n1 − 1) + (s2²/n2)²/(n2 − 1)),
 *   difference ± t(0.975, df) · se
 *
 * Null when either arm has fewer than 2 values. When both arms have zero spread the difference is
 * known exactly: low95 = high95 = difference and df = null (never NaN or Infinity).
 *
 * @example
 * ```ts
 * welchFromMoments(momentsFromSums(ai, 1), momentsFromSums(human, 1));
 * ```
 */
export const welchFromMoments = (
  variant: Moments | null,
  baseline: Moments | null,
): MeanDifference | null => {
  if (variant?.variance == null || baseline?.variance == null) return null;
  const difference = variant.mean - baseline.mean;
  const v1 = variant.variance / variant.count;
  const v2 = baseline.variance / baseline.count;
  const se2 = v1 + v2;
  if (!(se2 > 0)) return { difference, low95: difference, high95: difference, df: null, method: 'welch' };
  // Shares of se² rather than raw squares: (s²/n)² underflows to 0 for tiny spreads, the shares never do.
  const r1 = v1 / se2;
  const r2 = v2 / se2;
  const df = 1 / ((r1 * r1) / (variant.count - 1) + (r2 * r2) / (baseline.count - 1));
  const margin = tQuantile975(df) * Math.sqrt(se2);
  return { difference, low95: difference - margin, high95: difference + margin, df, method: 'welch' };
};

/**
 * Welch's interval from sums given as numbers in the quantity's units (see
 * {@link momentsFromNumberSums} for the precision that keeps); for the counters' exact BigInt sums use
 * `welchFromMoments(momentsFromSums(…), momentsFromSums(…))`.
 *
 * @example
 * ```ts
 * welchDifference({ count: 3, sum: 6, sumOfSquares: 14 }, { count: 3, sum: 3, sumOfSquares: 5 });
 * // { difference: 1, low95: -1.27, high95: 3.27, df: 4, method: 'welch' } (rounded)
 * ```
 */
export const welchDifference = (variant: MomentSums, baseline: MomentSums): MeanDifference | null =>
  welchFromMoments(momentsFromNumberSums(variant), momentsFromNumberSums(baseline));
