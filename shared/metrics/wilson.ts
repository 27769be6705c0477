/** z for a two-sided 95 % interval. */
export const Z_95 = 1.96;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * The Wilson score interval of a proportion: honest with few samples, never outside [0, 1].
 * Returns null when there are no trials (no rate to bound).
 *
 * @example
 * ```ts
 * wilsonInterval(9, 10); // { low: 0.596, high: 0.982 } (rounded)
 * ```
 */
export const wilsonInterval = (successes: number, trials: number, z = Z_95): Interval | null => {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    low: Math.max(0, (centre - margin) / denominator),
    high: Math.min(1, (centre + margin) / denominator),
  };
};
