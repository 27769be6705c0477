import type { OverrideDetail } from '../../events/schemas.ts';
import type { OverrideRecord } from './port.ts';

/**
 * What the override audit trail keeps of a counted override event: the real reason code (the counters
 * may fold it into `(other)`), never the reviewer's raw id beyond what the event carried pseudonymised.
 * Both store adapters build their records with it.
 *
 * @example
 * ```ts
 * const record = overrideRecordOf(event.detail, event.source);
 * ```
 */
export const overrideRecordOf = (detail: OverrideDetail, source: string): OverrideRecord => ({
  eventId: detail.eventId,
  occurredAt: detail.occurredAt,
  decision: detail.decision,
  source,
  ...(detail.runId ? { runId: detail.runId } : {}),
  ...(detail.reviewerId ? { reviewerId: detail.reviewerId } : {}),
  ...(detail.reasonCode ? { reasonCode: detail.reasonCode } : {}),
  ...(detail.reviewMs !== undefined ? { reviewMs: detail.reviewMs } : {}),
});

/**
 * Where an override sorts in a listing, and what `from`/`to` bound: `{occurredAt}#{eventId}` (the sort
 * key the trail had when it kept one item per override).
 *
 * @example
 * ```ts
 * overridePosition(record); // '2026-11-23T10:15:00.000Z#ovr-1'
 * ```
 */
export const overridePosition = (record: OverrideRecord): string => `${record.occurredAt}#${record.eventId}`;
