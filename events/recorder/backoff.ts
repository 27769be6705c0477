/** Retry timing for entries that EventBridge failed or could not be reached for. */
export interface RetryOptions {
  /** Attempts per event, the first send included. @default 8 */
  readonly maxAttempts?: number;
  /** Cap of the first retry's delay, in milliseconds. @default 100 */
  readonly baseDelayMs?: number;
  /** Cap of any retry's delay, in milliseconds. @default 10_000 */
  readonly maxDelayMs?: number;
}

export const RetryDefaults = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 10_000 } as const;

/**
 * "Full jitter" exponential backoff: a uniformly random delay between 0 and
 * min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), so that many producers retrying at once spread out.
 *
 * @param attempt - the number of attempts made so far (1 after the first failure)
 * @example
 * ```ts
 * fullJitterDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000 }, Math.random); // 0 … 400 ms
 * ```
 */
export const fullJitterDelay = (
  attempt: number,
  options: { readonly baseDelayMs: number; readonly maxDelayMs: number },
  random: () => number = Math.random,
): number => {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
};
