/**
 * Money and ROI for people (en-US, as leadership reads it). Every screen (API display text, terminal
 * summary, digest, ops page) formats dollars here, so the same figure never reads three ways. An
 * unknown figure is `null` in data and {@link UNKNOWN} on screen: never `$0`, never `-1.0×`.
 */

/** What every screen shows for a figure that is not known. */
export const UNKNOWN = 'unknown';

/** The mark of a lower bound: the true figure is this or more. */
export const AT_LEAST = '≥ ';

const usdFormat = (digits: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
// Built on first use, not at import: creating an Intl formatter is a measurable part of a function's
// cold start (docs/functions.md, "Bundles"), and most invocations format no money at all.
let usd2: Intl.NumberFormat | undefined;
let usd0: Intl.NumberFormat | undefined;
const cents = (): Intl.NumberFormat => {
  usd2 ??= usdFormat(2);
  return usd2;
};
const dollars = (): Intl.NumberFormat => {
  usd0 ??= usdFormat(0);
  return usd0;
};

/**
 * USD: cents below $10,000, whole dollars above, and enough digits for tiny amounts that would
 * otherwise show as $0.00; `unknown` for null.
 *
 * @example
 * ```ts
 * formatUsd(1345.5); // '$1,345.50'
 * formatUsd(0.000123); // '$0.000123'
 * formatUsd(null); // 'unknown'
 * ```
 */
export const formatUsd = (usd: number | null): string => {
  if (usd === null) return UNKNOWN;
  const size = Math.abs(usd);
  if (size > 0 && size < 0.01) return `${usd < 0 ? '-' : ''}$${size.toPrecision(3).replace(/0+$/, '')}`;
  return size >= 10_000 ? dollars().format(usd) : cents().format(usd);
};

/**
 * USD that may be a lower bound: `≥ $1,200` when `lowerBound`, `unknown` for null.
 *
 * @example
 * ```ts
 * formatUsdBound(1200, true); // '≥ $1,200.00'
 * ```
 */
export const formatUsdBound = (usd: number | null, lowerBound: boolean): string =>
  usd === null ? UNKNOWN : `${lowerBound ? AT_LEAST : ''}${formatUsd(usd)}`;

/**
 * ROI as a multiple of cost: `7,719×`, `0.4×`, `-0.35×`; `unknown` (or `whenNull`) for null.
 *
 * @example
 * ```ts
 * formatRoi(22.5); // '22.5×'
 * formatRoi(null); // 'unknown'
 * ```
 */
export const formatRoi = (roi: number | null, whenNull = UNKNOWN): string => {
  if (roi === null) return whenNull;
  const size = Math.abs(roi);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return `${roi.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}×`;
};
