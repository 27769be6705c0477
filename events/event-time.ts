/**
 * When an event may be counted, judged by its time. Lateness is measured from when the event reached
 * the bus (the EventBridge envelope's `time`), not from when a function happens to process it, so a DLQ
 * redrive or an archive replay after an outage still counts what was on time when it arrived.
 *
 * Exactly-once rests on dedupe markers outliving every copy of an event that can still be counted. A
 * copy is counted at most {@link maxProcessingAgeMs} after it occurred, and markers live
 * {@link markerTtlDays} from the first count; the difference is the safety margin.
 */
export const EventTimeRules = {
  /** How long after it occurred an event may reach the bus, by default (configurable). */
  latenessDays: 35,
  /** How far ahead of its arrival an event may be stamped, absorbing producers' clock skew. */
  futureSkewMs: 5 * 60_000,
  /** How long a delivery can wait before processing: SQS keeps messages (and the DLQ) at most 14 days. */
  redriveDays: 14,
  /** Markers outlive the oldest countable copy by this much more. */
  markerSafetyDays: 7,
} as const;

const DAY_MS = 86_400_000;

/** How old (by occurredAt) an event may be when processed: arrival lateness + the longest queue wait. */
export const maxProcessingAgeMs = (latenessMs: number): number =>
  latenessMs + EventTimeRules.redriveDays * DAY_MS;

/** How long dedupe markers must live for a lateness window of `latenessDays`. */
export const markerTtlDays = (latenessDays: number): number =>
  latenessDays + EventTimeRules.redriveDays + EventTimeRules.markerSafetyDays;

export type EventTimeVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'occurred_in_future' | 'too_late'; readonly message: string };

/**
 * Judges an event's `occurredAt` against when it reached the bus and when it is processed.
 *
 * @example
 * ```ts
 * judgeEventTime(Date.parse(detail.occurredAt), { nowMs: Date.now(), arrivedAtMs, latenessMs: 35 * DAY_MS });
 * ```
 */
export const judgeEventTime = (
  occurredMs: number,
  window: {
    readonly nowMs: number;
    readonly arrivedAtMs?: number;
    readonly latenessMs: number;
    readonly futureSkewMs?: number;
  },
): EventTimeVerdict => {
  // A producer can set PutEvents' Time, so an arrival after processing is not believed.
  const arrivedMs = Math.min(window.arrivedAtMs ?? window.nowMs, window.nowMs);
  const skew = window.futureSkewMs ?? EventTimeRules.futureSkewMs;
  const days = (ms: number) => Math.round(ms / DAY_MS);
  if (occurredMs > arrivedMs + skew) {
    return {
      ok: false,
      code: 'occurred_in_future',
      message: `is more than ${skew / 60_000} minutes after the event reached the bus`,
    };
  }
  if (occurredMs < arrivedMs - window.latenessMs) {
    return {
      ok: false,
      code: 'too_late',
      message: `is more than the accepted lateness window of ${days(window.latenessMs)} days before the event reached the bus; load older history with \`yardstick import\` (docs/import.md)`,
    };
  }
  const maxAge = maxProcessingAgeMs(window.latenessMs);
  if (occurredMs < window.nowMs - maxAge) {
    return {
      ok: false,
      code: 'too_late',
      message: `is ${days(window.nowMs - occurredMs)} days old, past the ${days(maxAge)} days within which a delivery can still be deduplicated; load it with \`yardstick import\` (docs/import.md)`,
    };
  }
  return { ok: true };
};
