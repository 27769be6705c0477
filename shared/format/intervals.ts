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
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
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
