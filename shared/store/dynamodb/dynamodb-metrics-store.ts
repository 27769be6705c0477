import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { markerTtlDays } from '../../../events/event-time.ts';
import { DEFAULT_LATENESS_DAYS } from '../../../events/validate.ts';
import { emptyCounters } from '../../metrics/counters.ts';
import type { GranularityName } from '../../time.ts';
import {
  type AcceptedEvent,
  type AdmissionPolicy,
  type ConflictEntry,
  type CounterBucket,
  IngestOutcome,
  type IngestOutcomeName,
  type IngestResult,
  type MetricsStore,
  type PipelineCounts,
  type QuarantineEntry,
  type QuarantinePageRequest,
  type WorkflowPage,
} from '../port.ts';
import { countersFromItem } from './counter-codec.ts';
import { DynamoDbAuditLog } from './dynamodb-audit-log.ts';
import { DynamoDbWorkflowRegistry } from './dynamodb-workflow-registry.ts';
import { commitGroup } from './group-commit.ts';
import { Keys } from './keys.ts';
import { queryRange } from './query-pages.ts';
import { SketchWriter } from './sketch-writer.ts';
import { MAX_TRANSACTION_ACTIONS, planTransactionGroups } from './transaction-plan.ts';

export { TransactionRetriesExhaustedError } from './group-commit.ts';

export interface DynamoDbMetricsStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * How long dedupe markers live. Must exceed the lateness window plus the longest a delivery can
   * wait in a queue (redrives), so that a copy old enough to outlive its marker is refused as too late.
   * `null` keeps them for good: `yardstick import` does, so an import can be re-run at any time.
   * @default `markerTtlDays(35)` from events/event-time.ts: lateness + the longest queue wait + a week
   */
  readonly markerTtlDays?: number | null;
  /** @default 100 (DynamoDB's limit) */
  readonly maxActionsPerTransaction?: number;
  /** Transactions in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Attempts for a transaction cancelled by contention or throttling. @default 6 */
  readonly maxAttempts?: number;
  /** Quarantined bodies live this long. @default 14 */
  readonly quarantineTtlDays?: number;
  /** Reason codes kept by name per workflow. @default ProducerLimits.reasonCodesPerWorkflow */
  readonly reasonCodesPerWorkflow?: number;
  /** Named variants counted per workflow. @default ProducerLimits.variantsPerWorkflow */
  readonly variantsPerWorkflow?: number;
  /** Hook run before each transaction; tests inject crashes here. */
  readonly beforeTransaction?: (groupIndex: number) => void | Promise<void>;
  /** Hook run after the transactions, before the sketch merge; tests inject crashes here. */
  readonly beforeSketchMerge?: () => void | Promise<void>;
  readonly now?: () => number;
}

/** Request counters, for benchmarks and the ops view. */
export interface StoreStats {
  transactions: number;
  transactionActions: number;
  cancellations: number;
  otherWrites: number;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const runPool = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
) => {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(workers);
};

/**
 * The DynamoDB adapter of {@link MetricsStore}, composed of one adapter per concern: counting (here),
 * the audit log and the workflow registry. Counting is exactly-once by (workflowId, eventId): each
 * group of events of one workflow is one `TransactWriteItems` holding a conditional dedupe marker per
 * event and the group's counter deltas, so a group is counted whole or not at all (see group-commit.ts).
 * Only then are the users of counted events merged into the distinct-users sketches.
 *
 * @example
 * ```ts
 * const store = new DynamoDbMetricsStore({ client: new DynamoDBClient({}), tableName: 'yardstick' });
 * const { outcomes, failures, refused } = await store.ingest(acceptedEvents);
 * ```
 */
export class DynamoDbMetricsStore implements MetricsStore {
  readonly stats: StoreStats = { transactions: 0, transactionActions: 0, cancellations: 0, otherWrites: 0 };
  private readonly options: DynamoDbMetricsStoreOptions & { now: () => number };
  private readonly sketches: SketchWriter;
  private readonly audit: DynamoDbAuditLog;
  private readonly registry: DynamoDbWorkflowRegistry;

  constructor(options: DynamoDbMetricsStoreOptions) {
    this.options = { now: Date.now, ...options };
    const shared = {
      client: options.client,
      tableName: options.tableName,
      onWrite: () => this.stats.otherWrites++,
    };
    this.sketches = new SketchWriter({ ...shared, maxAttempts: options.maxAttempts ?? 6 });
    this.audit = new DynamoDbAuditLog({
      ...shared,
      quarantineTtlDays: options.quarantineTtlDays,
      now: this.options.now,
    });
    this.registry = new DynamoDbWorkflowRegistry({
      ...shared,
      reasonCodesPerWorkflow: options.reasonCodesPerWorkflow,
      variantsPerWorkflow: options.variantsPerWorkflow,
    });
  }

  async ingest(events: readonly AcceptedEvent[]): Promise<IngestResult> {
    const outcomes = new Map<string, IngestOutcomeName>();
    const failures = new Map<string, Error>();
    const refused = new Map<string, string>();
    const storedFingerprints = new Map<string, string>();
    // Grouping by workflow and hour lets each transaction share counter updates among more events and
    // keeps concurrent transactions off each other's counter items (which DynamoDB would cancel).
    const ordered = [...events].sort(
      (a, b) =>
        compare(a.event.detail.workflowId, b.event.detail.workflowId) ||
        compare(a.event.detail.occurredAt.slice(0, 13), b.event.detail.occurredAt.slice(0, 13)),
    );
    const groups = planTransactionGroups(
      ordered,
      this.options.maxActionsPerTransaction ?? MAX_TRANSACTION_ACTIONS,
    );
    const markerDays = this.options.markerTtlDays ?? markerTtlDays(DEFAULT_LATENESS_DAYS);
    await runPool(groups, this.options.concurrency ?? 4, async (group, index) => {
      try {
        await this.options.beforeTransaction?.(index);
        const result = await commitGroup(group, {
          client: this.options.client,
          tableName: this.options.tableName,
          markerExpiresAt: () =>
            markerDays === null ? undefined : Math.floor(this.options.now() / 1000) + markerDays * 86_400,
          maxAttempts: this.options.maxAttempts ?? 6,
          onTransaction: (actions) => {
            this.stats.transactions++;
            this.stats.transactionActions += actions;
          },
          onCancellation: () => this.stats.cancellations++,
        });
        for (const [ref, outcome] of result.outcomes) outcomes.set(ref, outcome);
        for (const [ref, message] of result.refused) refused.set(ref, message);
        for (const [ref, stored] of result.storedFingerprints) storedFingerprints.set(ref, stored);
      } catch (error) {
        for (const accepted of group) {
          if (!outcomes.has(accepted.ref) && !refused.has(accepted.ref))
            failures.set(accepted.ref, error as Error);
        }
      }
    });
    // Users count only for events that were counted: now, or before (an identical re-send, which also
    // heals a crash between a transaction and this merge). A conflict's users are not the counted ones.
    const countedUsers = events.filter((e) => {
      const outcome = outcomes.get(e.ref);
      return outcome === IngestOutcome.counted || outcome === IngestOutcome.duplicate;
    });
    try {
      await this.options.beforeSketchMerge?.();
      await this.sketches.mergeUsers(countedUsers);
    } catch (error) {
      // The counts are committed; redelivery finds them duplicates and merges their users again.
      for (const e of countedUsers) {
        outcomes.delete(e.ref);
        failures.set(e.ref, error as Error);
      }
    }
    return { outcomes, failures, refused, storedFingerprints };
  }

  async readBuckets(
    workflowId: string,
    granularity: GranularityName,
    fromKey: string,
    toKeyExclusive: string,
    variant?: string,
  ): Promise<CounterBucket[]> {
    const { client, tableName } = this.options;
    const pk = Keys.counters(workflowId);
    if (variant !== undefined) {
      // A variant's buckets carry no users sketch: distinct users are counted per workflow only.
      const items = await queryRange(
        client,
        tableName,
        pk,
        Keys.variantBucket(variant, granularity, fromKey),
        Keys.variantBucket(variant, granularity, toKeyExclusive),
      );
      return items.map((item) => ({
        key: (item.sk?.S ?? '').split('#').at(-1) ?? '',
        counters: countersFromItem(item),
      }));
    }
    const [counterItems, sketchItems] = await Promise.all([
      queryRange(
        client,
        tableName,
        pk,
        Keys.bucket(granularity, fromKey),
        Keys.bucket(granularity, toKeyExclusive),
      ),
      queryRange(
        client,
        tableName,
        pk,
        Keys.sketch(granularity, fromKey),
        Keys.sketch(granularity, toKeyExclusive),
      ),
    ]);
    const keyOf = (item: { sk?: { S?: string } }) => (item.sk?.S ?? '').split('#')[1] ?? '';
    const buckets = new Map(counterItems.map((item) => [keyOf(item), countersFromItem(item)]));
    for (const item of sketchItems) {
      const key = keyOf(item);
      const counters = buckets.get(key) ?? emptyCounters();
      counters.users.merge(countersFromItem(item).users);
      buckets.set(key, counters);
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([key, counters]) => ({ key, counters }));
  }

  admitWorkflows(workflowIds: readonly string[], policy: AdmissionPolicy): Promise<ReadonlySet<string>> {
    return this.registry.admitWorkflows(workflowIds, policy);
  }
  keptReasonCodes(workflowId: string, codes: readonly string[]): Promise<ReadonlySet<string>> {
    return this.registry.keptReasonCodes(workflowId, codes);
  }
  keptVariants(workflowId: string, variants: readonly string[]): Promise<ReadonlySet<string>> {
    return this.registry.keptVariants(workflowId, variants);
  }
  variantsOf(workflowId: string): Promise<string[]> {
    return this.registry.variantsOf(workflowId);
  }
  listWorkflows(afterWorkflowId: string | undefined, limit: number): Promise<WorkflowPage> {
    return this.registry.listWorkflows(afterWorkflowId, limit);
  }
  quarantine(entries: readonly QuarantineEntry[]): Promise<void> {
    return this.audit.quarantine(entries);
  }
  recordConflicts(entries: readonly ConflictEntry[]): Promise<void> {
    return this.audit.recordConflicts(entries);
  }
  recordPipeline(day: string, counts: PipelineCounts): Promise<void> {
    return this.audit.recordPipeline(day, counts);
  }
  listOverrides(workflowId: string, fromIso: string, toIso: string, limit: number) {
    return this.audit.listOverrides(workflowId, fromIso, toIso, limit);
  }
  listQuarantine(day: string, page: QuarantinePageRequest) {
    return this.audit.listQuarantine(day, page);
  }
  listConflicts(workflowId: string, limit: number) {
    return this.audit.listConflicts(workflowId, limit);
  }
  readPipeline(fromDay: string, toDayExclusive: string) {
    return this.audit.readPipeline(fromDay, toDayExclusive);
  }
}
