/**
 * The upper bound of every numeric field of the v1 contract: the one source for the zod schemas, the
 * generated JSON Schemas (`maximum`), the counters' integer units and docs/contract.md.
 *
 * Why bounds at all: counters are exact integers summed by DynamoDB `ADD` into hour and day buckets,
 * and a DynamoDB number holds 38 significant digits and a magnitude below 1e126. One event of
 * `costUsd: 1e30` would be counted and then make every later write to its bucket fail; `1e308` makes
 * DynamoDB refuse the write outright. The bounds are chosen so that no bucket can ever get near those
 * limits, with this worst case (arithmetic in docs/contract.md, checked by test/unit/bounds.test.ts):
 *
 * - one bucket receives {@link EVENTS_PER_BUCKET_CEILING} events, i.e. a century of traffic at about
 *   31,700 events per second, every one of them at the bound;
 * - every sum then stays below {@link SUM_CEILING} (8 digits of headroom under 38), and every sum of
 *   squares (kept for the variance of durationMs, qualityScore, valueUsd and minutesSaved) below
 *   {@link SQUARE_SUM_CEILING};
 * - one event's scaled integer stays a safe integer (≤ 2^53 − 1), so it is exact even as a JS number.
 *
 * `sumDecimals`: the stored sum counts units of 10^-sumDecimals (money in nano-USD, minutes and
 * quality in thousandths). `squareDecimals`: the unit of a sum of squares, or null when none is kept;
 * money squares use milli-USD, because nano-USD squared would allow only about $1,000 per event.
 */
export const BOUNDS = {
  // Money: a single model call or a single outcome worth more than a million dollars is a unit error
  // (cents or micro-dollars sent as dollars), not an event.
  costUsd: { max: 1_000_000, unit: 'USD', sumDecimals: 9, squareDecimals: null },
  valueUsd: { max: 1_000_000, unit: 'USD', sumDecimals: 9, squareDecimals: 3 },
  // Minutes: about 694 days of work saved by one outcome; beyond is a unit error (seconds or ms).
  minutesSaved: { max: 1_000_000, unit: 'minutes', sumDecimals: 3, squareDecimals: 3 },
  // Tokens: a billion tokens is 500 times today's largest context window, for one call.
  inputTokens: { max: 1_000_000_000, unit: 'tokens', sumDecimals: 0, squareDecimals: null },
  outputTokens: { max: 1_000_000_000, unit: 'tokens', sumDecimals: 0, squareDecimals: null },
  cachedInputTokens: { max: 1_000_000_000, unit: 'tokens', sumDecimals: 0, squareDecimals: null },
  cacheCreationInputTokens: { max: 1_000_000_000, unit: 'tokens', sumDecimals: 0, squareDecimals: null },
  reasoningOutputTokens: { max: 1_000_000_000, unit: 'tokens', sumDecimals: 0, squareDecimals: null },
  // Durations: one year in milliseconds; a longer call, run or review is a clock or unit error.
  latencyMs: { max: 31_536_000_000, unit: 'ms', sumDecimals: 0, squareDecimals: null },
  durationMs: { max: 31_536_000_000, unit: 'ms', sumDecimals: 0, squareDecimals: 0 },
  reviewMs: { max: 31_536_000_000, unit: 'ms', sumDecimals: 0, squareDecimals: null },
  // A score is a fraction by definition.
  qualityScore: { max: 1, unit: 'score', sumDecimals: 3, squareDecimals: 3 },
} as const;

export type BoundedField = keyof typeof BOUNDS;

/** Worst-case number of events in one counter bucket: a century at about 31,700 events per second. */
export const EVENTS_PER_BUCKET_CEILING = 10n ** 14n;

/** Every counter sum stays below this in the worst case: 30 digits, 8 under DynamoDB's 38. */
export const SUM_CEILING = 10n ** 30n;

/** Every sum of squares stays below this in the worst case: 36 digits, 2 under DynamoDB's 38. */
export const SQUARE_SUM_CEILING = 10n ** 36n;

/**
 * The message of a value beyond its bound, naming the bound and its unit.
 *
 * @example
 * ```ts
 * boundMessage('costUsd'); // 'must be at most 1000000 USD (see docs/contract.md, "Numeric bounds")'
 * ```
 */
export const boundMessage = (field: BoundedField): string =>
  `must be at most ${BOUNDS[field].max} ${BOUNDS[field].unit} (see docs/contract.md, "Numeric bounds")`;

/** True when `field` names a bounded numeric field. */
export const isBoundedField = (field: string): field is BoundedField => Object.hasOwn(BOUNDS, field);
