/**
 * Money is counted in integer nano-USD (1e-9 USD) so that tiny per-call costs (an embedding call can
 * cost $0.0000002) survive summation, and sums are exact: a million events of $0.000001 add up to
 * exactly $1. Sums may pass 2^53 and are carried as bigint until they are shown.
 */
export const NANOS_PER_USD = 1_000_000_000n;

/**
 * Converts a finite number to an exact integer count of 10^-decimals units, rounding half away from
 * zero. Exact because it works on the number's shortest decimal string, never on a binary product
 * (1.005 × 1e9 is 1004999999.9999999), and total: it never overflows to Infinity, so any finite value
 * gives a bigint.
 *
 * @throws {RangeError} only for NaN or ±Infinity.
 * @example
 * ```ts
 * toScaledInteger(2.5, 3); // 2500n (milli-units)
 * toScaledInteger(1e306, 3); // 10n ** 309n, not a RangeError
 * ```
 */
export const toScaledInteger = (value: number, decimals: number): bigint => {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = BigInt(whole + fraction);
  const shift = Number(exponent) - fraction.length + decimals;
  let scaled: bigint;
  if (shift >= 0) scaled = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    scaled = (digits + divisor / 2n) / divisor;
  }
  return value < 0 ? -scaled : scaled;
};

/**
 * Converts a USD amount as reported by a producer to integer nano-USD, rounding half away from zero.
 *
 * @example
 * ```ts
 * usdToNanos(0.0000002); // 200n
 * ```
 */
export const usdToNanos = (usd: number): bigint => toScaledInteger(usd, 9);

/** Converts nano-USD to the nearest USD number for display and JSON, parsing its decimal form once. */
export const nanosToUsd = (nanos: bigint): number => {
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_USD;
  const fraction = (magnitude % NANOS_PER_USD).toString().padStart(9, '0');
  return Number(`${sign}${whole}.${fraction}`);
};
