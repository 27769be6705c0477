import { RejectionCode } from '../../events/validate.ts';
import { quarantineEntry } from '../../shared/ingest/quarantine-entry.ts';
import type { RefusedCount } from '../../shared/store/dynamodb/counter-applier.ts';
import type { QuarantineEntry } from '../../shared/store/port.ts';

/** The identity logged for a refused event. */
export const quarantineIdOf = ({ event }: RefusedCount) => ({
  workflowId: event.accepted.event.detail.workflowId,
  eventId: event.accepted.event.detail.eventId,
});

/**
 * The quarantine entry of an event whose counting DynamoDB refused (a counter at the largest number
 * DynamoDB keeps, say): quarantined `store_rejected` like a refused recording, with its body, so it
 * is visible and can be replayed once the cause is fixed.
 *
 * @example
 * ```ts
 * await audit.quarantine(refused.map((r) => refusedCountEntry(r, new Date().toISOString())));
 * ```
 */
export const refusedCountEntry = (refused: RefusedCount, receivedAt: string): QuarantineEntry => {
  const { event } = refused.event.accepted;
  return quarantineEntry(
    {
      id: `${event.detail.workflowId}:${event.detail.eventId}`,
      body: JSON.stringify({ 'detail-type': event.kind, source: event.source, detail: event.detail }),
      detailType: event.kind,
      source: event.source,
      detail: event.detail,
    },
    {
      code: RejectionCode.storeRejected,
      message: `DynamoDB refused to count this event (the rest of its batch was counted): ${refused.message}`,
    },
    receivedAt,
  );
};
