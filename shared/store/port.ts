import type { WorkflowEvent } from '../../events/schemas.ts';
import type { Rejection } from '../../events/validate.ts';
import type { Counters } from '../metrics/counters.ts';
import type { GranularityName } from '../time.ts';

/** An event that passed validation, ready to be counted exactly once. */
export interface AcceptedEvent {
  /** Caller's handle for the event (the SQS messageId in the aggregate function). */
  readonly ref: string;
  readonly event: WorkflowEvent;
  readonly fingerprint: string;
  readonly delta: Counters;
}

export const IngestOutcome = {
  counted: 'counted',
  duplicate: 'duplicate',
  conflict: 'conflict',
} as const;
export type IngestOutcomeName = (typeof IngestOutcome)[keyof typeof IngestOutcome];

export interface IngestResult {
  /** Per ref: counted now, or already counted before (same or different content). */
  readonly outcomes: ReadonlyMap<string, IngestOutcomeName>;
  /** Per ref: the write failed; nothing of this event was counted and it must be retried. */
  readonly failures: ReadonlyMap<string, Error>;
}

export interface QuarantineEntry {
  /** Stable id of the delivery (EventBridge event id, else the message id): re-quarantining is idempotent. */
  readonly id: string;
  readonly receivedAt: string;
  readonly rejection: Rejection;
  readonly detailType?: string;
  readonly source?: string;
  readonly workflowId?: string;
  readonly eventId?: string;
  /** The offending body, truncated. */
  readonly body: string;
}

export interface ConflictEntry {
  readonly workflowId: string;
  readonly eventId: string;
  readonly firstFingerprint: string;
  readonly conflictingFingerprint: string;
  readonly detectedAt: string;
}

export interface CounterBucket {
  /** `2026-11-23T10` (hour) or `2026-11-23` (day). */
  readonly key: string;
  readonly counters: Counters;
}

export interface WorkflowRecord {
  readonly workflowId: string;
  /** When the first and latest batch with this workflow's events arrived. */
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
}

export interface OverrideRecord {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly decision: string;
  readonly runId?: string;
  readonly reviewerId?: string;
  readonly reasonCode?: string;
  readonly reviewMs?: number;
  readonly source: string;
}

/** Pipeline health counters by arrival day; approximate (not exactly-once), for ops only. */
export interface PipelineCounts {
  readonly received: number;
  readonly counted: number;
  readonly duplicates: number;
  readonly conflicts: number;
  readonly quarantined: number;
}

/**
 * The storage port of the aggregation and query paths. The DynamoDB adapter implements it; domain
 * code depends only on this interface.
 */
export interface MetricsStore {
  ingest(events: readonly AcceptedEvent[]): Promise<IngestResult>;
  quarantine(entries: readonly QuarantineEntry[]): Promise<void>;
  recordConflicts(entries: readonly ConflictEntry[]): Promise<void>;
  recordPipeline(day: string, counts: PipelineCounts): Promise<void>;
  readBuckets(
    workflowId: string,
    granularity: GranularityName,
    fromKey: string,
    toKeyExclusive: string,
  ): Promise<CounterBucket[]>;
  listWorkflows(): Promise<WorkflowRecord[]>;
  listOverrides(workflowId: string, fromIso: string, toIso: string, limit: number): Promise<OverrideRecord[]>;
  listQuarantine(day: string, limit: number): Promise<QuarantineEntry[]>;
  listConflicts(workflowId: string, limit: number): Promise<ConflictEntry[]>;
  readPipeline(fromDay: string, toDayExclusive: string): Promise<Array<{ day: string } & PipelineCounts>>;
}
