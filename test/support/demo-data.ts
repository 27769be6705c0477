import { demoFleet } from '../../infra/local/demo/fleet.ts';
import { incomingOfDemoEntry } from '../../infra/local/demo/incoming.ts';
import { type BatchReport, countBatch, type IncomingEvent } from '../../shared/ingest/count-batch.ts';
import type { Pricer } from '../../shared/metrics/counters.ts';
import type { MetricsStore } from '../../shared/store/port.ts';

const DAY_MS = 86_400_000;

/** The demo fleet's events as the aggregate function receives them, optionally only those from `fromMs` on. */
export const demoIncoming = (nowMs: number, fromMs = Number.NEGATIVE_INFINITY): IncomingEvent[] =>
  demoFleet(nowMs)
    .entries.filter((entry) => Date.parse(String(entry.Detail.occurredAt)) >= fromMs)
    .map((entry, index) => incomingOfDemoEntry(entry, `m-${index}`));

/** Counts the demo fleet into a store through the real ingestion path, in batches of 500. */
export const ingestDemo = async (
  store: MetricsStore,
  options: { readonly nowMs: number; readonly price: Pricer; readonly fromMs?: number },
): Promise<BatchReport[]> => {
  const incoming = demoIncoming(options.nowMs, options.fromMs);
  const reports: BatchReport[] = [];
  for (let start = 0; start < incoming.length; start += 500) {
    reports.push(
      await countBatch(incoming.slice(start, start + 500), {
        store,
        price: options.price,
        window: { nowMs: options.nowMs, latenessMs: 35 * DAY_MS },
      }),
    );
  }
  return reports;
};
