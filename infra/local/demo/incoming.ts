import type { IncomingEvent } from '../../../shared/ingest/count-batch.ts';
import type { demoFleet } from './fleet.ts';

/** One entry of the demo fleet, as PutEvents receives it. */
export type DemoEntry = ReturnType<typeof demoFleet>['entries'][number];

/**
 * A demo fleet entry as the aggregate function receives it from SQS: the one mapping the tests and
 * the benchmarks use to count demo events through `countBatch` without a queue in between.
 *
 * @example
 * ```ts
 * const incoming = demoFleet(nowMs).entries.map((entry, i) => incomingOfDemoEntry(entry, `m${i}`));
 * ```
 */
export const incomingOfDemoEntry = (entry: DemoEntry, ref: string): IncomingEvent => ({
  ref,
  id: ref,
  detailType: entry.DetailType,
  source: entry.Source,
  detail: entry.Detail,
  body: JSON.stringify(entry),
});
