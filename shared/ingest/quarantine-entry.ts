import { type Rejection, RejectionCode } from '../../events/validate.ts';
import type { QuarantineEntry } from '../store/port.ts';
import { redactBody, redactText } from './redact.ts';

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

// An identity taken from an unvalidated detail is kept only when it holds no personal data.
const stringField = (value: unknown, field: string): string | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  const v = (value as Record<string, unknown>)[field];
  return typeof v === 'string' && redactText(v) === v ? v.slice(0, 128) : undefined;
};

// The field a `pii_suspected` rejection names, by its last path segment (how it appears in the body).
const suspectFields = (rejection: Rejection): ReadonlySet<string> =>
  rejection.code === RejectionCode.piiSuspected && rejection.field
    ? new Set([rejection.field.split('.').at(-1) ?? rejection.field])
    : new Set();

/**
 * The quarantine entry of an event refused with `rejection`: keyed by the event's identity when it
 * has one, so a producer's re-sends are quarantined once. It keeps no personal data: ids, the
 * suspected field and anything that looks like an address or phone number are redacted (redact.ts),
 * before the body is shortened so that a cut never exposes part of one.
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
    rejection: { ...rejection, message: redactText(rejection.message) },
    body: redactBody(delivered.body, suspectFields(rejection)).slice(0, MAX_QUARANTINED_BODY),
    ...(typeof delivered.detailType === 'string' ? { detailType: redactText(delivered.detailType) } : {}),
    ...(delivered.source !== undefined ? { source: redactText(delivered.source) } : {}),
    ...(workflowId ? { workflowId } : {}),
    ...(eventId ? { eventId } : {}),
  };
};
