import { formatPercent } from './rates.ts';

/** What a screen shows for a rate with nothing to measure (no reviews, no runs): not 0 %, a dash. */
export const NO_RATE = '—';

/**
 * A rate that may be absent: `89%`, or {@link NO_RATE} when null.
 *
 * @example
 * ```ts
 * formatOptionalPercent(null); // '—'
 * formatOptionalPercent(0.204, 0.2); // '20.4%'
 * ```
 */
export const formatOptionalPercent = (rate: number | null, versus?: number): string =>
  rate === null ? NO_RATE : formatPercent(rate, versus);
