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
  // Going through the shortest decimal string avoids binary drift such as 0.1 * 1e9 = 100000000.00000001.
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

/** Converts nano-USD to a USD number for display and JSON (exact below $9,007,199). */
export const nanosToUsd = (nanos: bigint): number => {
  const whole = nanos / NANOS_PER_USD;
  const fraction = nanos % NANOS_PER_USD;
  return Number(whole) + Number(fraction) / 1e9;
};
