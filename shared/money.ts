/**
 * Money is counted in integer nano-USD (1e-9 USD) so that tiny per-call costs (an embedding call can
 * cost $0.0000002) survive summation, and sums are exact: a million events of $0.000001 add up to
 * exactly $1. Sums may pass 2^53 and are carried as bigint until they are shown.
 */
export const NANOS_PER_USD = 1_000_000_000n;

/**
 * Converts a USD amount as reported by a producer to integer nano-USD, rounding half away from zero.
 *
 * @example
 * ```ts
 * usdToNanos(0.0000002); // 200n
 * ```
 */
export const usdToNanos = (usd: number): bigint => {
  if (!Number.isFinite(usd)) throw new RangeError(`not a finite USD amount: ${usd}`);
  // Going through the shortest decimal string avoids binary drift such as 1.005 * 1e9 = 1004999999.9999999.
  const [mantissa = '0', exponent = '0'] = usd.toExponential().split('e');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = BigInt(whole + fraction);
  const shift = Number(exponent) - fraction.length + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    nanos = (digits + divisor / 2n) / divisor;
  }
  return usd < 0 ? -nanos : nanos;
};

/** Converts nano-USD to the nearest USD number for display and JSON, parsing its decimal form once. */
export const nanosToUsd = (nanos: bigint): number => {
  const sign = nanos < 0n ? '-' : '';
  const magnitude = nanos < 0n ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_USD;
  const fraction = (magnitude % NANOS_PER_USD).toString().padStart(9, '0');
  return Number(`${sign}${whole}.${fraction}`);
};
