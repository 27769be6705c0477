import { type Rejection, type TimeWindow, validateEvent } from '../../events/validate.ts';
import { deltaFromEvent, type Pricer } from '../metrics/counters.ts';
import {
  type AcceptedEvent,
  type ConflictEntry,
  IngestOutcome,
  type MetricsStore,
  type QuarantineEntry,
} from '../store/port.ts';
import { dayKey } from '../time.ts';
import { eventFingerprint } from './fingerprint.ts';
import { quarantineEntry } from './quarantine-entry.ts';

/** One delivered event, after its transport envelope was read (or found unreadable). */
export type IncomingEvent =
  | {
      readonly ref: string;
      readonly id: string;
      readonly detailType: unknown;
      readonly source: string;
      readonly detail: unknown;
      readonly body: string;
    }
  | { readonly ref: string; readonly id: string; readonly rejection: Rejection; readonly body: string };

export const RecordOutcome = { ...IngestOutcome, quarantined: 'quarantined', failed: 'failed' } as const;
export type RecordOutcomeName = (typeof RecordOutcome)[keyof typeof RecordOutcome];

export interface BatchReport {
  readonly outcomes: ReadonlyMap<string, RecordOutcomeName>;
  /** Refs whose writes failed: the transport must redeliver them. */
  readonly failures: ReadonlyMap<string, Error>;
  readonly quarantined: readonly QuarantineEntry[];
  readonly conflicts: readonly ConflictEntry[];
  /** The events counted now (not duplicates, conflicts or failed writes), for metrics. */
  readonly counted: readonly AcceptedEvent[];
  /** Arrival − occurredAt of counted events, in milliseconds. */
  readonly lagsMs: readonly number[];
}

export interface CountBatchDependencies {
  readonly store: MetricsStore;
  readonly price: Pricer;
  readonly window: TimeWindow;
}

/**
 * Counts a batch of delivered events exactly once: validates each, quarantines the invalid ones with
 * their reason, drops repeats of an eventId within the batch, and hands the rest to the store, which
 * drops repeats across batches. Nothing invalid fails the batch; only failed writes do.
 *
 * @example
 * ```ts
 * const report = await countBatch(incoming, { store, price: catalogPricer, window: defaultTimeWindow() });
 * const retry = [...report.failures.keys()];
 * ```
 */
export const countBatch = async (
  incoming: readonly IncomingEvent[],
  deps: CountBatchDependencies,
): Promise<BatchReport> => {
  const outcomes = new Map<string, RecordOutcomeName>();
  const failures = new Map<string, Error>();
  const quarantined: QuarantineEntry[] = [];
  const conflicts: ConflictEntry[] = [];
  const accepted: AcceptedEvent[] = [];
  const firstByEventKey = new Map<string, AcceptedEvent>();
  const receivedAt = new Date(deps.window.nowMs).toISOString();

  for (const item of incoming) {
    const result =
      'rejection' in item
        ? { ok: false as const, rejection: item.rejection }
        : validateEvent(
            { detailType: item.detailType, source: item.source, detail: item.detail },
            deps.window,
          );
    if (!result.ok) {
      quarantined.push(
        quarantineEntry(
          'rejection' in item
            ? { id: item.id, body: item.body }
            : {
                id: item.id,
                body: item.body,
                detailType: item.detailType,
                source: item.source,
                detail: item.detail,
              },
          result.rejection,
          receivedAt,
        ),
      );
      outcomes.set(item.ref, RecordOutcome.quarantined);
      continue;
    }
    const event = result.event;
    const candidate: AcceptedEvent = {
      ref: item.ref,
      event,
      fingerprint: eventFingerprint(event),
      delta: deltaFromEvent(event, deps.price),
    };
    const eventKey = `${event.detail.workflowId}\u0000${event.detail.eventId}`;
    const first = firstByEventKey.get(eventKey);
    if (first) {
      // A repeat inside one batch never reaches the store; its fate follows the first copy's.
      if (first.fingerprint !== candidate.fingerprint) {
        outcomes.set(item.ref, RecordOutcome.conflict);
        conflicts.push({
          workflowId: event.detail.workflowId,
          eventId: event.detail.eventId,
          firstFingerprint: first.fingerprint,
          conflictingFingerprint: candidate.fingerprint,
          detectedAt: receivedAt,
        });
      } else {
        outcomes.set(item.ref, RecordOutcome.duplicate);
      }
      continue;
    }
    firstByEventKey.set(eventKey, candidate);
    accepted.push(candidate);
  }

  const [ingested, quarantineError] = await Promise.all([
    deps.store.ingest(accepted),
    deps.store.quarantine(quarantined).then(
      () => undefined,
      (error: Error) => error,
    ),
  ]);
  if (quarantineError) {
    for (const [ref, outcome] of outcomes) {
      if (outcome === RecordOutcome.quarantined) failures.set(ref, quarantineError);
    }
  }

  const lagsMs: number[] = [];
  const counted: AcceptedEvent[] = [];
  for (const candidate of accepted) {
    const failure = ingested.failures.get(candidate.ref);
    if (failure) {
      failures.set(candidate.ref, failure);
      continue;
    }
    const outcome = ingested.outcomes.get(candidate.ref) ?? RecordOutcome.failed;
    outcomes.set(candidate.ref, outcome);
    if (outcome === RecordOutcome.counted) {
      counted.push(candidate);
      lagsMs.push(deps.window.nowMs - Date.parse(candidate.event.detail.occurredAt));
    } else if (outcome === RecordOutcome.conflict) {
      conflicts.push({
        workflowId: candidate.event.detail.workflowId,
        eventId: candidate.event.detail.eventId,
        firstFingerprint: 'stored',
        conflictingFingerprint: candidate.fingerprint,
        detectedAt: receivedAt,
      });
    }
  }
  // Repeats within the batch whose first copy failed must be retried with it.
  for (const item of incoming) {
    if (failures.has(item.ref) || 'rejection' in item) continue;
    const outcome = outcomes.get(item.ref);
    if (outcome !== RecordOutcome.duplicate && outcome !== RecordOutcome.conflict) continue;
    const detail = item.detail as { workflowId?: string; eventId?: string };
    const first = firstByEventKey.get(`${detail.workflowId}\u0000${detail.eventId}`);
    const firstFailure = first && first.ref !== item.ref ? ingested.failures.get(first.ref) : undefined;
    if (firstFailure) failures.set(item.ref, firstFailure);
  }
  for (const ref of failures.keys()) outcomes.set(ref, RecordOutcome.failed);

  if (conflicts.length > 0) await deps.store.recordConflicts(conflicts);
  const count = (name: RecordOutcomeName) => [...outcomes.values()].filter((o) => o === name).length;
  await deps.store
    .recordPipeline(dayKey(deps.window.nowMs), {
      received: incoming.length,
      counted: count(RecordOutcome.counted),
      duplicates: count(RecordOutcome.duplicate),
      conflicts: count(RecordOutcome.conflict),
      quarantined: count(RecordOutcome.quarantined),
    })
    .catch(() => undefined); // pipeline counters are best-effort health figures, never a reason to redeliver

  return { outcomes, failures, quarantined, conflicts, counted, lagsMs };
};
