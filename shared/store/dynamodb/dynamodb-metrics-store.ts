import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { markerTtlDays } from '../../../events/event-time.ts';
import { DEFAULT_LATENESS_DAYS } from '../../../events/validate.ts';
import { type Counters, emptyCounters } from '../../metrics/counters.ts';
import type { GranularityName } from '../../time.ts';
import type {
  AcceptedEvent,
  AdmissionPolicy,
  ConflictEntry,
  CounterBucket,
  FleetWeekEntry,
  IngestResult,
  MetricsStore,
  PipelineCounts,
  QuarantineEntry,
  QuarantinePageRequest,
  WorkflowPage,
} from '../port.ts';
import { countersFromItem } from './counter-codec.ts';
import { DynamoDbAuditLog } from './dynamodb-audit-log.ts';
import { DynamoDbWorkflowRegistry } from './dynamodb-workflow-registry.ts';
import { readDayTotals, readFleetWeek } from './fleet-reads.ts';
import { Keys } from './keys.ts';
import { queryRange } from './query-pages.ts';
import { recordEvents } from './recorded-event-writer.ts';

export interface DynamoDbMetricsStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * How long recorded events (the dedupe keys) live. Must exceed the lateness window plus the longest
   * a delivery can wait in a queue (redrives), so that a copy old enough to outlive its record is
   * refused as too late. `null` keeps them for good: `yardstick import` does, so an import can be
   * re-run at any time.
   * @default `markerTtlDays(35)` from events/event-time.ts: lateness + the longest queue wait + a week
   */
  readonly markerTtlDays?: number | null;
  /** Recording requests in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Attempts for items DynamoDB leaves unprocessed (throttling). @default 6 */
  readonly maxAttempts?: number;
  /** A workflow's write shards (catalog `writeShards`). @default 1 for every workflow */
  readonly writeShardsOf?: (workflowId: string) => number;
  /** Quarantined bodies live this long. @default 14 */
  readonly quarantineTtlDays?: number;
  /** Reason codes kept by name per workflow. @default ProducerLimits.reasonCodesPerWorkflow */
  readonly reasonCodesPerWorkflow?: number;
  /** Named variants counted per workflow. @default ProducerLimits.variantsPerWorkflow */
  readonly variantsPerWorkflow?: number;
  /** Hook run before each BatchWriteItem of recorded events; tests inject crashes here. */
  readonly beforeWrite?: (index: number) => void | Promise<void>;
  readonly now?: () => number;
}

/** Request counters, for benchmarks and the ops view. */
export interface StoreStats {
  /** BatchGetItem requests looking up the keys of a batch. */
  recordingReads: number;
  /** BatchWriteItem requests recording new events. */
  recordingWrites: number;
  otherWrites: number;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The DynamoDB adapter of {@link MetricsStore}, composed of one adapter per concern: counting (here),
 * the audit log and the workflow registry. Counting is exactly-once by (workflowId, eventId): each
 * event is recorded by one conditional write (recorded-event-writer.ts), and the table's stream
 * applies recorded events to the counters (counter-applier.ts, the `counters` function), so counters
 * follow recording by the stream's lag (docs/counting.md, "How an event is counted").
 *
 * @example
 * ```ts
 * const store = new DynamoDbMetricsStore({ client: new DynamoDBClient({}), tableName: 'yardstick' });
 * const { outcomes, failures, refused } = await store.ingest(acceptedEvents);
 * ```
 */
export class DynamoDbMetricsStore implements MetricsStore {
  readonly stats: StoreStats = { recordingReads: 0, recordingWrites: 0, otherWrites: 0 };
  private readonly options: DynamoDbMetricsStoreOptions & { now: () => number };
  private readonly audit: DynamoDbAuditLog;
  private readonly registry: DynamoDbWorkflowRegistry;

  constructor(options: DynamoDbMetricsStoreOptions) {
    this.options = { now: Date.now, ...options };
    const shared = {
      client: options.client,
      tableName: options.tableName,
      onWrite: () => this.stats.otherWrites++,
    };
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

  ingest(events: readonly AcceptedEvent[]): Promise<IngestResult> {
    const ttlDays =
      this.options.markerTtlDays === undefined
        ? markerTtlDays(DEFAULT_LATENESS_DAYS)
        : this.options.markerTtlDays;
    return recordEvents(events, {
      client: this.options.client,
      tableName: this.options.tableName,
      concurrency: this.options.concurrency,
      maxAttempts: this.options.maxAttempts,
      expiresAt: () =>
        ttlDays === null ? undefined : Math.floor(this.options.now() / 1000) + ttlDays * 86_400,
      writeShardsOf: this.options.writeShardsOf ?? (() => 1),
      beforeWrite: this.options.beforeWrite,
      onRequest: (kind) => {
        if (kind === 'read') this.stats.recordingReads++;
        else this.stats.recordingWrites++;
      },
    });
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
    // An hour's users sketch rides in its counter item; a day's is an item of its own beside it. Hours
    // counted before that may still have a sketch item of their own: read and merged, not lost.
    const [counterItems, sketchItems] = await Promise.all([
      queryRange(
        client,
        tableName,
        pk,
        Keys.bucket(granularity, fromKey),
        Keys.bucket(granularity, toKeyExclusive),
      ),
      granularity === 'day'
        ? queryRange(client, tableName, pk, Keys.sketch('day', fromKey), Keys.sketch('day', toKeyExclusive))
        : queryRange(
            client,
            tableName,
            pk,
            Keys.legacyHourSketch(fromKey),
            Keys.legacyHourSketch(toKeyExclusive),
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

  readFleetWeek(week: string): Promise<FleetWeekEntry[]> {
    return readFleetWeek(this.options.client, this.options.tableName, week);
  }

  readDayTotals(
    workflowIds: readonly string[],
    fromDay: string,
    toDayExclusive: string,
  ): Promise<Map<string, Counters>> {
    return readDayTotals(this.options.client, this.options.tableName, workflowIds, fromDay, toDayExclusive);
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
