/** Number formatting shared by verdict reasons and digest renderers (en-US, as leadership reads it). */

const usdFormat = (digits: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
const USD_2 = usdFormat(2);
const USD_0 = usdFormat(0);

/**
 * USD for people: cents below $10,000, whole dollars above, and enough digits for tiny amounts that
 * would otherwise show as $0.00.
 *
 * @example
 * ```ts
 * formatUsd(1345.5); // '$1,345.50'
 * formatUsd(0.000123); // '$0.000123'
 * ```
 */
export const formatUsd = (usd: number): string => {
  const size = Math.abs(usd);
  if (size > 0 && size < 0.01) return `${usd < 0 ? '-' : ''}$${size.toPrecision(3).replace(/0+$/, '')}`;
  return size >= 10_000 ? USD_0.format(usd) : USD_2.format(usd);
};

/**
 * A rate as a percentage; one decimal when a whole percent would hide the difference from `versus`
 * (so 20.4 % is never shown as "20 %, above the 20 % target").
 */
export const formatPercent = (rate: number, versus?: number): string => {
  const whole = Math.round(rate * 100);
  const needsDecimal =
    (versus !== undefined && rate !== versus && whole === Math.round(versus * 100)) ||
    (rate > 0 && whole === 0);
  return `${needsDecimal ? (rate * 100).toFixed(1) : whole}%`;
};

/** `81–94%`: a 95 % interval. */
export const formatInterval = (low: number, high: number): string =>
  `${Math.round(low * 100)}–${Math.round(high * 100)}%`;

/** A rate with its Wilson interval, e.g. `89% (95% CI 81–94%)`. */
export const formatRateWithInterval = (
  rate: number,
  low: number | null,
  high: number | null,
  versus?: number,
): string =>
  low === null || high === null
    ? formatPercent(rate, versus)
    : `${formatPercent(rate, versus)} (95% CI ${formatInterval(low, high)})`;

/** ROI as a multiple of cost: `7,719×`, `0.4×`, `-0.35×`. */
export const formatRoi = (roi: number): string => {
  const size = Math.abs(roi);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return `${roi.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}×`;
};

/** `+18%`, `-29%`, or null when there is nothing to compare with. */
export const formatChange = (current: number, previous: number): string | null => {
  if (previous === 0) return null;
  const change = (current - previous) / Math.abs(previous);
  const percent = Math.round(change * 100);
  return `${percent > 0 ? '+' : ''}${percent}%`;
};

export const formatCount = (count: number): string => count.toLocaleString('en-US');

export const formatHours = (hours: number): string =>
  `${hours.toLocaleString('en-US', { maximumFractionDigits: hours >= 100 ? 0 : 1 })} h`;

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${formatCount(count)} ${count === 1 ? one : many}`;
