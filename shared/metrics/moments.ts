import { ComparisonInputError } from './comparison-error.ts';

/**
 * Exact running sums of one per-run quantity, as the counters keep them: each value x is stored as the
 * integer X = x × scale (e.g. qualityScore in milli-units, scale 1000), `sum` is ΣX and `sumOfSquares`
 * is ΣX² (so in scale² units). BigInt, because these sums pass 2^53 long before DynamoDB's 38 digits.
 */
export interface ExactMomentSums {
  readonly count: bigint | number;
  readonly sum: bigint;
  readonly sumOfSquares: bigint;
}

/** Sample statistics of one arm. `variance` and `stdDev` are the sample (n − 1) ones: null below 2 values. */
export interface Moments {
  readonly count: number;
  readonly mean: number;
  readonly variance: number | null;
  readonly stdDev: number | null;
}

/**
 * Mean, sample variance (n − 1) and standard deviation from exact scaled-integer sums. The textbook
 * shortcut (Σx² − (Σx)²/n)/(n − 1) in floating point cancels catastrophically when the spread is small
 * against the mean (durations of 600,000 ± 5 ms); here n·ΣX² − (ΣX)² is formed exactly in BigInt, so
 * the variance is exact up to the final division (≈ 1 ulp). A negative numerator, which only
 * inconsistent sums can give, is clamped to 0. Returns null when count is 0.
 *
 * @throws {ComparisonInputError} for a negative or fractional count, or a scale that is not a positive integer.
 * @example
 * ```ts
 * // durations of 1500, 2500 and 3500 ms, counted in whole ms (scale 1):
 * momentsFromSums({ count: 3n, sum: 7500n, sumOfSquares: 20_750_000n }, 1);
 * // { count: 3, mean: 2500, variance: 1_000_000, stdDev: 1000 }
 * ```
 */
export const momentsFromSums = (sums: ExactMomentSums, scale: bigint | number): Moments | null => {
  const n = typeof sums.count === 'bigint' ? sums.count : toBigInt('count', sums.count);
  const s = typeof scale === 'bigint' ? scale : toBigInt('scale', scale);
  if (n < 0n) throw new ComparisonInputError(`count must be ≥ 0, got ${n}`);
  if (s <= 0n) throw new ComparisonInputError(`scale must be a positive integer, got ${s}`);
  if (n === 0n) return null;
  const mean = Number(sums.sum) / Number(n * s);
  if (n < 2n) return { count: Number(n), mean, variance: null, stdDev: null };
  const numerator = n * sums.sumOfSquares - sums.sum * sums.sum;
  const variance = numerator <= 0n ? 0 : Number(numerator) / Number(n * (n - 1n) * s * s);
  return { count: Number(n), mean, variance, stdDev: Math.sqrt(variance) };
};

const toBigInt = (name: string, value: number): bigint => {
  if (!Number.isSafeInteger(value))
    throw new ComparisonInputError(`${name} must be an integer, got ${value}`);
  return BigInt(value);
};

/** The same sums as plain numbers in the quantity's own units (ms, USD, score). */
export interface MomentSums {
  readonly count: number;
  readonly sum: number;
  readonly sumOfSquares: number;
}

/**
 * Moments from sums already converted to numbers. Precision: a double carries ~16 significant
 * digits, so the variance loses about log10(mean² / variance) of them to cancellation (a coefficient
 * of variation of 1e-4 leaves ~8 digits). Counters hold exact BigInt sums: prefer
 * {@link momentsFromSums} on them; use this for sums that never were exact.
 *
 * @example
 * ```ts
 * momentsFromNumberSums({ count: 3, sum: 6, sumOfSquares: 14 }); // mean 2, variance 1
 * ```
 */
export const momentsFromNumberSums = (sums: MomentSums): Moments | null => {
  const { count: n, sum, sumOfSquares } = sums;
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ComparisonInputError(`count must be an integer ≥ 0, got ${n}`);
  if (!Number.isFinite(sum) || !Number.isFinite(sumOfSquares))
    throw new ComparisonInputError('sum and sumOfSquares must be finite');
  if (n === 0) return null;
  const mean = sum / n;
  if (n < 2) return { count: n, mean, variance: null, stdDev: null };
  const variance = Math.max(0, (sumOfSquares - mean * sum) / (n - 1));
  return { count: n, mean, variance, stdDev: Math.sqrt(variance) };
};
