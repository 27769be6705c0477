import type { Rejection } from '../../events/validate.ts';
import type { QuarantineEntry } from '../store/port.ts';

/** Longest body kept with a quarantined event: enough to diagnose, bounded so one entry stays small. */
export const MAX_QUARANTINED_BODY = 4_000;

/** What the transport delivered for one event, as far as it could be read. */
export interface QuarantineSource {
  /** The delivery's id (EventBridge event id, else the message id). */
  readonly id: string;
  readonly body: string;
  readonly detailType?: unknown;
  readonly source?: string;
  readonly detail?: unknown;
}

const stringField = (value: unknown, field: string): string | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  const v = (value as Record<string, unknown>)[field];
  return typeof v === 'string' ? v.slice(0, 128) : undefined;
};

/**
 * The quarantine entry of an event refused with `rejection`: keyed by the event's identity when it
 * has one, so a producer's re-sends are quarantined once.
 *
 * @example
 * ```ts
 * quarantined.push(quarantineEntry({ id: envelope.id, body, detail }, rejection, receivedAt));
 * ```
 */
export const quarantineEntry = (
  delivered: QuarantineSource,
  rejection: Rejection,
  receivedAt: string,
): QuarantineEntry => {
  const workflowId = stringField(delivered.detail, 'workflowId');
  const eventId = stringField(delivered.detail, 'eventId');
  return {
    id: workflowId && eventId ? `${workflowId}:${eventId}` : delivered.id,
    receivedAt,
    rejection,
    body: delivered.body.slice(0, MAX_QUARANTINED_BODY),
    ...(typeof delivered.detailType === 'string' ? { detailType: delivered.detailType } : {}),
    ...(delivered.source !== undefined ? { source: delivered.source } : {}),
    ...(workflowId ? { workflowId } : {}),
    ...(eventId ? { eventId } : {}),
  };
};
