import { formatUsd } from './money.ts';

/**
 * Differences and their 95 % intervals for people (en-US): minutes from milliseconds, USD ranges and
 * percentage points. An interval whose ends have different signs reads "-0.5 to 1.1", because an en
 * dash between two signed numbers ("-0.5–1.1") is unreadable.
 */

const MS_PER_MINUTE = 60_000;

const minutes = (ms: number) => {
  const value = ms / MS_PER_MINUTE;
  // Whole minutes from 100 up; one decimal below, so 4.05 min is not shown as 4 min.
  const digits = Math.abs(value) >= 100 ? 0 : 1;
  // A value that rounds to zero reads 0.0, never -0.0.
  const shown = Number(value.toFixed(digits)) || 0;
  return shown.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** Joins two formatted ends: `3.2–5.0`, or `-0.5 to 1.1` when a sign would clash with the dash. */
const range = (low: number, high: number, lowText: string, highText: string) =>
  low < 0 || high < 0 ? `${lowText} to ${highText}` : `${lowText}–${highText}`;

/**
 * A duration in minutes, one decimal below 100 minutes.
 *
 * @example
 * ```ts
 * formatMinutes(246_000); // '4.1 min'
 * ```
 */
export const formatMinutes = (ms: number): string => `${minutes(ms)} min`;

/**
 * A 95 % interval of a duration, in minutes.
 *
 * @example
 * ```ts
 * formatMinutesInterval(192_000, 300_000); // '3.2–5.0 min'
 * formatMinutesInterval(-30_000, 66_000); // '-0.5 to 1.1 min'
 * ```
 */
export const formatMinutesInterval = (lowMs: number, highMs: number): string =>
  `${range(lowMs, highMs, minutes(lowMs), minutes(highMs))} min`;

/**
 * A 95 % interval of a USD amount, each end as {@link formatUsd} writes it.
 *
 * @example
 * ```ts
 * formatUsdInterval(1215.4, 2039.4); // '$1,215.40–$2,039.40'
 * formatUsdInterval(-50, 120); // '-$50.00 to $120.00'
 * ```
 */
export const formatUsdInterval = (low: number, high: number): string =>
  range(low, high, formatUsd(low), formatUsd(high));

// Negative numbers keep the hyphen-minus that formatUsd and formatRoi write, so a figure reads the
// same in an interval as on its own.
const points = (difference: number) => `${Math.round(difference * 100) || 0}`;

/**
 * A difference of two rates in percentage points, signed.
 *
 * @example
 * ```ts
 * formatPoints(0.214); // '+21 points'
 * formatPoints(-0.03); // '-3 points'
 * ```
 */
export const formatPoints = (difference: number): string => {
  const whole = Math.round(difference * 100) || 0;
  return `${whole > 0 ? '+' : ''}${whole} ${Math.abs(whole) === 1 ? 'point' : 'points'}`;
};

/**
 * A 95 % interval of a difference of two rates, in percentage points.
 *
 * @example
 * ```ts
 * formatPointsInterval(0.11, 0.31); // '11–31 points'
 * formatPointsInterval(-0.08, 0.12); // '-8 to 12 points'
 * ```
 */
export const formatPointsInterval = (low: number, high: number): string =>
  `${range(Math.round(low * 100), Math.round(high * 100), points(low), points(high))} points`;

// A difference reads with its sign, so "+1.2 min" is never mistaken for a duration of its own; one
// that rounds to nothing ("0.00") gets none.
const signed = (value: number, text: string) => (value > 0 && /[1-9]/.test(text) ? `+${text}` : text);

/**
 * A difference of two durations, signed, in minutes.
 *
 * @example
 * ```ts
 * formatMinutesDifference(-264_000); // '-4.4 min'
 * formatMinutesDifference(66_000); // '+1.1 min'
 * ```
 */
export const formatMinutesDifference = (ms: number): string => signed(ms, formatMinutes(ms));

/**
 * A difference of two USD amounts, signed, each as {@link formatUsd} writes it.
 *
 * @example
 * ```ts
 * formatUsdDifference(-3.95); // '-$3.95'
 * formatUsdDifference(0.5); // '+$0.50'
 * ```
 */
export const formatUsdDifference = (usd: number): string => signed(usd, formatUsd(usd));

// Quality scores are 0–1: two decimals tell 0.82 from 0.85 without pretending to more.
const score = (value: number) => (Math.round(value * 100) / 100 || 0).toFixed(2);

/**
 * A difference of two mean quality scores (0–1), signed, two decimals.
 *
 * @example
 * ```ts
 * formatScoreDifference(0.046); // '+0.05'
 * ```
 */
export const formatScoreDifference = (difference: number): string => signed(difference, score(difference));

/**
 * A 95 % interval of a difference of quality scores.
 *
 * @example
 * ```ts
 * formatScoreInterval(0.01, 0.09); // '0.01–0.09'
 * formatScoreInterval(-0.02, 0.09); // '-0.02 to 0.09'
 * ```
 */
export const formatScoreInterval = (low: number, high: number): string =>
  range(Math.round(low * 100), Math.round(high * 100), score(low), score(high));

const seconds = (ms: number) => {
  const value = ms / 1000;
  // Whole seconds from 10 up, one decimal below; a value that rounds to zero reads 0.0, never -0.0.
  const digits = Math.abs(value) >= 10 ? 0 : 1;
  const shown = Number(value.toFixed(digits)) || 0;
  return shown.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/**
 * A duration under a minute in seconds, where minutes would read 0.1 min.
 *
 * @example
 * ```ts
 * formatSeconds(4_760); // '4.8 s'
 * ```
 */
export const formatSeconds = (ms: number): string => `${seconds(ms)} s`;

/**
 * A difference of two short durations, signed, in seconds.
 *
 * @example
 * ```ts
 * formatSecondsDifference(167); // '+0.2 s'
 * ```
 */
export const formatSecondsDifference = (ms: number): string => signed(ms, formatSeconds(ms));

/**
 * A 95 % interval of a difference of short durations, in seconds.
 *
 * @example
 * ```ts
 * formatSecondsInterval(-141, 474); // '-0.1 to 0.5 s'
 * ```
 */
export const formatSecondsInterval = (lowMs: number, highMs: number): string =>
  `${range(lowMs, highMs, seconds(lowMs), seconds(highMs))} s`;
