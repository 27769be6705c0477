import { type TimeWindow, validateEvent } from '../../events/validate.ts';
import { type BatchReport, type IncomingEvent, RecordOutcome } from '../ingest/count-batch.ts';
import { deltaFromEvent, type Pricer } from '../metrics/counters.ts';
import type { CountedEvent } from './batch-figures.ts';

/**
 * The events of a batch that the report marks `counted`, re-read from what was delivered: validated
 * with the same time window and priced with the same pricer as `countBatch` used, so each delta is
 * the one that was stored. Events with any other outcome are skipped without being parsed.
 *
 * @example
 * ```ts
 * const report = await countBatch(incoming, { store, price, window });
 * const counted = countedEvents(incoming, report, { price, window });
 * ```
 */
export const countedEvents = (
  incoming: readonly IncomingEvent[],
  report: Pick<BatchReport, 'outcomes'>,
  deps: { readonly price: Pricer; readonly window: TimeWindow },
): CountedEvent[] => {
  const counted: CountedEvent[] = [];
  for (const item of incoming) {
    if ('rejection' in item || report.outcomes.get(item.ref) !== RecordOutcome.counted) continue;
    const result = validateEvent(
      { detailType: item.detailType, source: item.source, detail: item.detail },
      deps.window,
    );
    if (!result.ok) continue;
    counted.push({ ref: item.ref, event: result.event, delta: deltaFromEvent(result.event, deps.price) });
  }
  return counted;
};
