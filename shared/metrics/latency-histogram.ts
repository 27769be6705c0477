/**
 * A fixed log-scale latency histogram: bucket i ≥ 1 holds [B^(i-1), B^i) ms with B = 2^(1/4);
 * bucket 0 holds latencies under 1 ms. Fixed edges make histograms mergeable by plain addition, so
 * they can be stored as DynamoDB counters and summed across hours and days.
 *
 * Error bound: a percentile is reported as the geometric midpoint of its bucket, so the reported
 * value is within ±9.1 % (√B − 1) of a latency in that bucket.
 */
export const LATENCY_BASE = 2 ** (1 / 4);
// Latencies of 2^(98/4) ms (about 6.6 hours) or more share the top bucket, where the error bound does not hold.
export const LATENCY_BUCKETS = 100;
export const LATENCY_RELATIVE_ERROR = Math.sqrt(LATENCY_BASE) - 1;

export const latencyBucket = (latencyMs: number): number => {
  if (latencyMs < 1) return 0;
  const index = Math.floor(Math.log2(latencyMs) * 4) + 1;
  return Math.min(index, LATENCY_BUCKETS - 1);
};

const bucketMidpoint = (index: number): number =>
  index === 0 ? 0.5 : LATENCY_BASE ** (index - 1) * Math.sqrt(LATENCY_BASE);

/**
 * The latency at quantile q (0–1) from bucket counts, or null when there are none.
 *
 * @example
 * ```ts
 * latencyQuantile(new Map([[latencyBucket(120), 10n]]), 0.95); // ≈ 120 (±9.1 %)
 * ```
 */
export const latencyQuantile = (buckets: ReadonlyMap<number, bigint>, q: number): number | null => {
  let total = 0n;
  for (const count of buckets.values()) total += count;
  if (total === 0n) return null;
  // Nearest-rank: the smallest latency with at least ceil(q × n) observations at or below it.
  const rank = BigInt(Math.max(1, Math.ceil(q * Number(total))));
  let seen = 0n;
  for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(index) ?? 0n;
    if (seen >= rank) return Math.round(bucketMidpoint(index) * 10) / 10;
  }
  return null;
};
