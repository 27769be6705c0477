import type { EffectiveTarget } from '../verdicts/verdict.ts';

/** Rates, intervals, changes, counts and hours for people (en-US). */

/**
 * A rate as a percentage; one decimal when a whole percent would hide the difference from `versus`
 * (so 20.4 % is never shown as "20 %, above the 20 % target").
 *
 * @example
 * ```ts
 * formatPercent(0.204, 0.2); // '20.4%'
 * ```
 */
export const formatPercent = (rate: number, versus?: number): string => {
  const whole = Math.round(rate * 100);
  const needsDecimal =
    (versus !== undefined && rate !== versus && whole === Math.round(versus * 100)) ||
    (rate > 0 && whole === 0);
  return `${needsDecimal ? (rate * 100).toFixed(1) : whole}%`;
};

/**
 * A target or threshold as configured, to four significant digits and never rounded to a whole
 * percent: an alarm fires at the configured value, so 12.5 % must not read as 13 %.
 *
 * @example
 * ```ts
 * formatTargetRate(0.125); // '12.5%'
 * ```
 */
export const formatTargetRate = (rate: number): string => `${Number((rate * 100).toPrecision(4))}%`;

/**
 * A trust target with its direction, marked when it is the default rather than the catalog's.
 *
 * @example
 * ```ts
 * formatTarget('≤', { value: 0.25, source: 'default' }); // 'target ≤ 25% (default)'
 * ```
 */
export const formatTarget = (direction: '≤' | '≥', target: EffectiveTarget): string =>
  `target ${direction} ${formatTargetRate(target.value)}${target.source === 'default' ? ' (default)' : ''}`;

/** `81–94%`: a 95 % interval. */
export const formatInterval = (low: number, high: number): string =>
  `${Math.round(low * 100)}–${Math.round(high * 100)}%`;

/**
 * A rate with its Wilson interval.
 *
 * @example
 * ```ts
 * formatRateWithInterval(0.89, 0.81, 0.94); // '89% (95% CI 81–94%)'
 * ```
 */
export const formatRateWithInterval = (
  rate: number,
  low: number | null,
  high: number | null,
  versus?: number,
): string =>
  low === null || high === null
    ? formatPercent(rate, versus)
    : `${formatPercent(rate, versus)} (95% CI ${formatInterval(low, high)})`;

/** `+18%`, `-29%`, or null when there is nothing to compare with. */
export const formatChange = (current: number, previous: number): string | null => {
  if (previous === 0) return null;
  const change = (current - previous) / Math.abs(previous);
  const percent = Math.round(change * 100);
  return `${percent > 0 ? '+' : ''}${percent}%`;
};

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(1234); // '1,234'
 * ```
 */
export const formatCount = (count: number): string => count.toLocaleString('en-US');

/** `12.5 h`; whole hours from 100 up. */
export const formatHours = (hours: number): string =>
  `${hours.toLocaleString('en-US', { maximumFractionDigits: hours >= 100 ? 0 : 1 })} h`;

/** `1 usage event`, `3 usage events`. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatCount(count)} ${count === 1 ? one : many}`;
