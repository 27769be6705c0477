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
  /**
   * Per ref: DynamoDB refused this event's own write (not contention), with DynamoDB's message. Nothing
   * of it was counted; retrying cannot help, so it is quarantined `store_rejected`.
   */
  readonly refused: ReadonlyMap<string, string>;
  /**
   * Per ref of a conflict: the fingerprint of the version counted first, as stored in its dedupe
   * marker, so the conflict record shows both versions.
   */
  readonly storedFingerprints: ReadonlyMap<string, string>;
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

/** How the registry admits workflows it has not seen before. */
export interface AdmissionPolicy {
  /** The UTC day whose cap new ids count against (`2026-11-23`). */
  readonly day: string;
  readonly nowIso: string;
  /** New, uncatalogued workflow ids admitted per day. */
  readonly newWorkflowsPerDay: number;
  /** Catalogued workflows are governance-approved: always admitted, never counted against the cap. */
  readonly catalogued: (workflowId: string) => boolean;
}

/** One page of the registry, in workflowId order. */
export interface WorkflowPage {
  readonly records: WorkflowRecord[];
  /** The last workflowId of the page when more follow. */
  readonly lastWorkflowId?: string;
}

/** One workflow's ISO week in the fleet rollup. */
export interface FleetWeekEntry {
  readonly workflowId: string;
  /** The week's totals, with its distinct users. */
  readonly counters: Counters;
  /** Each named variant's share of the week (never `default`: totals minus these), by name. */
  readonly variants: ReadonlyMap<string, Counters>;
}

/** Counting: exactly-once counters and the buckets they are read back from. */
export interface CountingStore {
  ingest(events: readonly AcceptedEvent[]): Promise<IngestResult>;
  /**
   * The workflow's counter buckets in `[fromKey, toKeyExclusive)`: its totals, or with `variant` (a
   * named variant, never `default`) that variant's share of them.
   */
  readBuckets(
    workflowId: string,
    granularity: GranularityName,
    fromKey: string,
    toKeyExclusive: string,
    variant?: string,
  ): Promise<CounterBucket[]>;
  /**
   * Every workflow with counted events in an ISO week (`2026-W47`), in workflowId order, from the
   * fleet rollup: a fixed number of reads whatever the fleet's size (docs/counting.md, "Fleet rollup").
   */
  readFleetWeek(week: string): Promise<FleetWeekEntry[]>;
  /**
   * Each of `workflowIds`' day counters (with distinct users) summed over `[fromDay, toDayExclusive)`;
   * empty counters for a workflow with none. For a page of the fleet: batched, not one read per workflow.
   */
  readDayTotals(
    workflowIds: readonly string[],
    fromDay: string,
    toDayExclusive: string,
  ): Promise<Map<string, Counters>>;
}

/** Which page of a day's quarantine to list. */
export interface QuarantinePageRequest {
  readonly limit: number;
  /** The `nextToken` of the previous page. */
  readonly nextToken?: string;
}

/** A page of quarantined events, newest first; `nextToken` only when more follow. */
export interface QuarantinePage {
  readonly entries: readonly QuarantineEntry[];
  readonly nextToken?: string;
}

/** The audit log: quarantined events, conflicts, the override trail and pipeline health. */
export interface AuditLog {
  quarantine(entries: readonly QuarantineEntry[]): Promise<void>;
  recordConflicts(entries: readonly ConflictEntry[]): Promise<void>;
  recordPipeline(day: string, counts: PipelineCounts): Promise<void>;
  listOverrides(workflowId: string, fromIso: string, toIso: string, limit: number): Promise<OverrideRecord[]>;
  /** One page of a day's quarantined events, newest first; throws InvalidPageTokenError for a forged token. */
  listQuarantine(day: string, page: QuarantinePageRequest): Promise<QuarantinePage>;
  listConflicts(workflowId: string, limit: number): Promise<ConflictEntry[]>;
  readPipeline(fromDay: string, toDayExclusive: string): Promise<Array<{ day: string } & PipelineCounts>>;
}

/**
 * The registry of workflows that sent events: admission under the daily cap on new ids, the reason
 * codes kept by name per workflow (see `shared/limits.ts`), and the paged listing.
 */
export interface WorkflowRegistry {
  /** Admits the workflows of a batch; returns the ids refused because the day's new-id cap is used up. */
  admitWorkflows(workflowIds: readonly string[], policy: AdmissionPolicy): Promise<ReadonlySet<string>>;
  /** Which of `codes` this workflow keeps by name; the others are counted under `(other)`. */
  keptReasonCodes(workflowId: string, codes: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Which of the named `variants` (never `default`) this workflow keeps, registering new ones up to
   * the cap; events of the others are quarantined `too_many_variants`.
   */
  keptVariants(workflowId: string, variants: readonly string[]): Promise<ReadonlySet<string>>;
  /** The named variants a workflow has counted events of, in name order (`default` is implied). */
  variantsOf(workflowId: string): Promise<string[]>;
  /** Up to `limit` workflows with ids after `afterWorkflowId`, in id order. */
  listWorkflows(afterWorkflowId: string | undefined, limit: number): Promise<WorkflowPage>;
}

/**
 * The storage port of the aggregation and query paths, one narrow interface per concern. The DynamoDB
 * adapter implements all three; domain code depends on the narrowest one it needs.
 */
export interface MetricsStore extends CountingStore, AuditLog, WorkflowRegistry {}
