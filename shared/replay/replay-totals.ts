import type { Counters } from '../metrics/counters.ts';

/** A replay's headline figures over the window's day totals, exact nano-USD. */
export interface ReplayTotals {
  readonly costNanos: bigint;
  readonly valueReportedNanos: bigint;
  readonly runs: bigint;
  readonly usageEvents: bigint;
}

/**
 * The headline figures of a set of counter items: the sum of the workflow's day totals (`D#…`; hours
 * and variants hold the same events again). Cost is reported plus catalog-priced cost.
 *
 * @example
 * ```ts
 * totalsOf([{ sk: 'D#2026-12-01', counters }]).costNanos;
 * ```
 */
export const totalsOf = (
  items: Iterable<{ readonly sk: string; readonly counters: Counters }>,
): ReplayTotals => {
  let costNanos = 0n;
  let valueReportedNanos = 0n;
  let runs = 0n;
  let usageEvents = 0n;
  for (const { sk, counters } of items) {
    if (!sk.startsWith('D#')) continue;
    const v = counters.values;
    costNanos += v.costReportedNanos + v.costPricedNanos;
    valueReportedNanos += v.valueReportedNanos;
    runs += v.succeeded + v.failed + v.abandoned;
    usageEvents += v.usageEvents;
  }
  return { costNanos, valueReportedNanos, runs, usageEvents };
};
