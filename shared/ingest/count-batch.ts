import { type Rejection, RejectionCode, type TimeWindow, validateEvent } from '../../events/validate.ts';
import { ProducerLimits } from '../limits.ts';
import { deltaFromEvent, type Pricer } from '../metrics/counters.ts';
import {
  type AcceptedEvent,
  type ConflictEntry,
  IngestOutcome,
  type MetricsStore,
  type QuarantineEntry,
} from '../store/port.ts';
import { dayKey } from '../time.ts';
import { admitEvents, type Governance } from './admission.ts';
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
      /** When the event reached the bus (the envelope's `time`): lateness is judged against it. */
      readonly arrivedAtMs?: number;
    }
  | { readonly ref: string; readonly id: string; readonly rejection: Rejection; readonly body: string };

type ReadableEvent = Exclude<IncomingEvent, { rejection: Rejection }>;

export const RecordOutcome = { ...IngestOutcome, quarantined: 'quarantined', failed: 'failed' } as const;
export type RecordOutcomeName = (typeof RecordOutcome)[keyof typeof RecordOutcome];

export interface BatchReport {
  readonly outcomes: ReadonlyMap<string, RecordOutcomeName>;
  /** Refs whose writes failed: the transport must redeliver them. */
  readonly failures: ReadonlyMap<string, Error>;
  readonly quarantined: readonly QuarantineEntry[];
  /** Why each quarantined ref was refused. */
  readonly rejections: ReadonlyMap<string, Rejection>;
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
  /** @default any source, nothing catalogued, the default cap on new workflow ids */
  readonly governance?: Governance;
}

const OPEN_GOVERNANCE: Governance = {
  sourcesFor: () => undefined,
  catalogued: () => false,
  newWorkflowsPerDay: ProducerLimits.newWorkflowsPerDay,
};

const eventKeyOf = (workflowId: unknown, eventId: unknown) => `${String(workflowId)}\u0000${String(eventId)}`;

/**
 * Counts a batch of delivered events exactly once: validates each, quarantines the invalid ones with
 * their reason, drops repeats of an eventId within the batch, applies governance (allowed sources, the
 * cap on new workflow ids, bounded reason codes), and hands the rest to the store, which drops repeats
 * across batches and isolates any write DynamoDB refuses. Nothing invalid fails the batch; only failed
 * writes do, and only their own events are redelivered.
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
  const candidates: AcceptedEvent[] = [];
  const firstByEventKey = new Map<string, AcceptedEvent>();
  /** Other versions of an eventId within the batch, one per fingerprint, for the second round below. */
  const otherVersions = new Map<string, Map<string, AcceptedEvent>>();
  const itemByRef = new Map(incoming.map((item) => [item.ref, item]));
  const receivedAt = new Date(deps.window.nowMs).toISOString();
  const rejections = new Map<string, Rejection>();
  const quarantine = (item: IncomingEvent, rejection: Rejection) => {
    quarantined.push(quarantineEntry(item, rejection, receivedAt));
    rejections.set(item.ref, rejection);
    outcomes.set(item.ref, RecordOutcome.quarantined);
  };

  for (const item of incoming) {
    if ('rejection' in item) {
      quarantine(item, item.rejection);
      continue;
    }
    const result = validateEvent(item, deps.window);
    if (!result.ok) {
      quarantine(item, result.rejection);
      continue;
    }
    const event = result.event;
    const candidate: AcceptedEvent = {
      ref: item.ref,
      event,
      fingerprint: eventFingerprint(event),
      delta: deltaFromEvent(event, deps.price),
    };
    const eventKey = eventKeyOf(event.detail.workflowId, event.detail.eventId);
    const first = firstByEventKey.get(eventKey);
    if (!first) {
      firstByEventKey.set(eventKey, candidate);
      candidates.push(candidate);
    } else if (first.fingerprint !== candidate.fingerprint) {
      // A repeat inside one batch never reaches the store; its fate follows the first copy's.
      outcomes.set(item.ref, RecordOutcome.conflict);
      const versions = otherVersions.get(eventKey) ?? new Map<string, AcceptedEvent>();
      if (!versions.has(candidate.fingerprint)) versions.set(candidate.fingerprint, candidate);
      otherVersions.set(eventKey, versions);
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
  }

  let admitted: AcceptedEvent[] = [];
  try {
    const admission = await admitEvents(candidates, deps.store, deps.governance ?? OPEN_GOVERNANCE, {
      day: dayKey(deps.window.nowMs),
      nowIso: receivedAt,
    });
    admitted = admission.admitted;
    for (const { accepted, rejection } of admission.refused) {
      quarantine(itemByRef.get(accepted.ref) as ReadableEvent, rejection);
    }
  } catch (error) {
    for (const candidate of candidates) failures.set(candidate.ref, error as Error);
  }

  const ingested = await deps.store.ingest(admitted);
  const lagsMs: number[] = [];
  const counted: AcceptedEvent[] = [];
  for (const candidate of admitted) {
    const failure = ingested.failures.get(candidate.ref);
    const refusal = ingested.refused.get(candidate.ref);
    if (failure) {
      failures.set(candidate.ref, failure);
    } else if (refusal !== undefined) {
      quarantine(itemByRef.get(candidate.ref) as ReadableEvent, {
        code: RejectionCode.storeRejected,
        message: `DynamoDB refused this event's write (its batch-mates were counted): ${refusal}`,
      });
    } else {
      const outcome = ingested.outcomes.get(candidate.ref) ?? RecordOutcome.failed;
      outcomes.set(candidate.ref, outcome);
      if (outcome === RecordOutcome.counted) {
        counted.push(candidate);
        lagsMs.push(deps.window.nowMs - Date.parse(candidate.event.detail.occurredAt));
      } else if (outcome === RecordOutcome.conflict) {
        conflicts.push({
          workflowId: candidate.event.detail.workflowId,
          eventId: candidate.event.detail.eventId,
          // The adapters report the stored fingerprint of every conflict; never leave the record blank.
          firstFingerprint: ingested.storedFingerprints.get(candidate.ref) ?? 'unknown',
          conflictingFingerprint: candidate.fingerprint,
          detectedAt: receivedAt,
        });
      }
    }
  }
  // When the first copy turns out to conflict with a version counted before, another version in this
  // batch may be that counted one: as a duplicate it merges its users, which heals a crash between the
  // counting transaction and the users' merge whatever order the redelivery brings the versions in.
  const secondRound = admitted
    .filter((candidate) => outcomes.get(candidate.ref) === RecordOutcome.conflict)
    .flatMap((candidate) => [
      ...(otherVersions
        .get(eventKeyOf(candidate.event.detail.workflowId, candidate.event.detail.eventId))
        ?.values() ?? []),
    ]);
  if (secondRound.length > 0) {
    const again = await deps.store.ingest(secondRound);
    for (const version of secondRound) {
      const outcome = again.outcomes.get(version.ref);
      const failure = again.failures.get(version.ref);
      if (failure) failures.set(version.ref, failure);
      else if (outcome) outcomes.set(version.ref, outcome);
      if (outcome === RecordOutcome.counted) counted.push(version);
    }
  }
  // Repeats within the batch follow their first copy: retried with it, or quarantined with it.
  for (const item of incoming) {
    const outcome = outcomes.get(item.ref);
    if ('rejection' in item || (outcome !== RecordOutcome.duplicate && outcome !== RecordOutcome.conflict))
      continue;
    const detail = item.detail as { workflowId?: string; eventId?: string };
    const first = firstByEventKey.get(eventKeyOf(detail.workflowId, detail.eventId));
    if (!first || first.ref === item.ref) continue;
    const firstFailure = failures.get(first.ref);
    if (firstFailure) failures.set(item.ref, firstFailure);
    else if (outcomes.get(first.ref) === RecordOutcome.quarantined)
      outcomes.set(item.ref, RecordOutcome.quarantined);
  }
  await deps.store.quarantine(quarantined).catch((error: Error) => {
    for (const [ref, outcome] of outcomes) {
      if (outcome === RecordOutcome.quarantined) failures.set(ref, error);
    }
  });
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

  return { outcomes, failures, quarantined, rejections, conflicts, counted, lagsMs };
};
