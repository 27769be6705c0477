import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_LATENESS_DAYS } from '../../../events/validate.ts';

import { emptyCounters } from '../../metrics/counters.ts';
import { DistinctSketch } from '../../metrics/distinct-sketch.ts';
import { dayKey, type GranularityName, hourKey } from '../../time.ts';
import {
  type AcceptedEvent,
  type ConflictEntry,
  type CounterBucket,
  IngestOutcome,
  type IngestOutcomeName,
  type IngestResult,
  type MetricsStore,
  type OverrideRecord,
  type PipelineCounts,
  type QuarantineEntry,
  type WorkflowRecord,
} from '../port.ts';
import { countersFromItem, sketchAttribute, sketchFromItem } from './counter-codec.ts';
import { Keys } from './keys.ts';
import { buildTransaction, MAX_TRANSACTION_ACTIONS, planTransactionGroups } from './transaction-plan.ts';

export interface DynamoDbMetricsStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * How long dedupe markers live. Must exceed the lateness window so that a redelivery old enough to
   * outlive its marker is already refused as too late.
   * @default lateness window (35 days) + 7 days
   */
  readonly markerTtlDays?: number;
  /** @default 100 (DynamoDB's limit) */
  readonly maxActionsPerTransaction?: number;
  /** Transactions in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Attempts for a transaction cancelled by contention or throttling. @default 6 */
  readonly maxAttempts?: number;
  /** Quarantined bodies live this long. @default 14 */
  readonly quarantineTtlDays?: number;
  /** Hook run before each transaction; tests inject crashes here. */
  readonly beforeTransaction?: (groupIndex: number) => void | Promise<void>;
  readonly now?: () => number;
}

/** Request counters, for benchmarks and the ops view. */
export interface StoreStats {
  transactions: number;
  transactionActions: number;
  cancellations: number;
  otherWrites: number;
}

/** Sketches remembered per store instance (about 1 KB each). */
const SKETCH_CACHE_ENTRIES = 2_000;

const RETRYABLE_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Thrown when a transaction keeps being cancelled for reasons other than duplicates. */
export class TransactionRetriesExhaustedError extends Error {
  constructor(reasons: string) {
    super(`transaction still cancelled after retries: ${reasons}`);
    this.name = 'TransactionRetriesExhaustedError';
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * The DynamoDB adapter of {@link MetricsStore}. Counting is exactly-once by (workflowId, eventId):
 * each group of events is one `TransactWriteItems` holding a conditional dedupe marker per event and
 * the group's counter deltas, so a group is counted whole or not at all. When markers already exist
 * the cancellation reasons name them; those events are set aside as duplicates (or conflicts, when the
 * content differs) and the rest is retried.
 *
 * @example
 * ```ts
 * const store = new DynamoDbMetricsStore({ client: new DynamoDBClient({}), tableName: 'yardstick' });
 * const { outcomes, failures } = await store.ingest(acceptedEvents);
 * ```
 */
export class DynamoDbMetricsStore implements MetricsStore {
  readonly stats: StoreStats = { transactions: 0, transactionActions: 0, cancellations: 0, otherWrites: 0 };
  private readonly options: Required<Omit<DynamoDbMetricsStoreOptions, 'beforeTransaction'>> &
    Pick<DynamoDbMetricsStoreOptions, 'beforeTransaction'>;
  private readonly registered = new Set<string>();
  private readonly sketchCache = new Map<string, { sketch: DistinctSketch; version: number }>();

  constructor(options: DynamoDbMetricsStoreOptions) {
    this.options = {
      markerTtlDays: DEFAULT_LATENESS_DAYS + 7,
      maxActionsPerTransaction: MAX_TRANSACTION_ACTIONS,
      concurrency: 4,
      maxAttempts: 6,
      quarantineTtlDays: 14,
      now: Date.now,
      ...options,
    };
  }

  async ingest(events: readonly AcceptedEvent[]): Promise<IngestResult> {
    const outcomes = new Map<string, IngestOutcomeName>();
    const failures = new Map<string, Error>();
    // Grouping by workflow and hour lets each transaction share counter updates among more events and
    // keeps concurrent transactions off each other's counter items (which DynamoDB would cancel).
    const ordered = [...events].sort(
      (a, b) =>
        compare(a.event.detail.workflowId, b.event.detail.workflowId) ||
        compare(a.event.detail.occurredAt.slice(0, 13), b.event.detail.occurredAt.slice(0, 13)),
    );
    const groups = planTransactionGroups(ordered, this.options.maxActionsPerTransaction);
    await runPool(groups, this.options.concurrency, async (group, index) => {
      try {
        await this.options.beforeTransaction?.(index);
        await this.commitGroup(group, outcomes);
      } catch (error) {
        for (const accepted of group) {
          if (!outcomes.has(accepted.ref)) failures.set(accepted.ref, error as Error);
        }
      }
    });
    await this.registerWorkflows(events.filter((e) => outcomes.get(e.ref) === IngestOutcome.counted));
    return { outcomes, failures };
  }

  private async commitGroup(group: readonly AcceptedEvent[], outcomes: Map<string, IngestOutcomeName>) {
    // Sketch merges are idempotent (a register only grows), so they go first: if the transaction then
    // fails, redelivery merges the same users again and changes nothing.
    await this.mergeUserSketches(group);
    let remaining = [...group];
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const expiresAt = Math.floor(this.options.now() / 1000) + this.options.markerTtlDays * 86_400;
      const { items, markerOf } = buildTransaction(this.options.tableName, remaining, expiresAt);
      try {
        this.stats.transactions++;
        this.stats.transactionActions += items.length;
        await this.options.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        for (const accepted of remaining) outcomes.set(accepted.ref, IngestOutcome.counted);
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        this.stats.cancellations++;
        const reasons = error.CancellationReasons ?? [];
        const alreadyCounted = new Set<AcceptedEvent>();
        let retryable = false;
        reasons.forEach((reason, i) => {
          const accepted = markerOf[i];
          if (reason.Code === 'ConditionalCheckFailed' && accepted) {
            alreadyCounted.add(accepted);
            const stored = reason.Item?.fingerprint?.S;
            outcomes.set(
              accepted.ref,
              stored === undefined || stored === accepted.fingerprint
                ? IngestOutcome.duplicate
                : IngestOutcome.conflict,
            );
          } else if (reason.Code && RETRYABLE_REASONS.has(reason.Code)) {
            retryable = true;
          }
        });
        if (alreadyCounted.size === 0 && !retryable) {
          throw new TransactionRetriesExhaustedError(reasons.map((r) => r.Code ?? 'None').join(','));
        }
        remaining = remaining.filter((accepted) => !alreadyCounted.has(accepted));
        if (retryable && alreadyCounted.size === 0) {
          if (attempt >= this.options.maxAttempts) {
            throw new TransactionRetriesExhaustedError(reasons.map((r) => r.Code ?? 'None').join(','));
          }
          // Full jitter keeps retries of contending Lambdas from colliding again.
          await sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
        }
      }
    }
  }

  private async mergeUserSketches(group: readonly AcceptedEvent[]) {
    const sketches = new Map<string, { pk: string; sk: string; sketch: DistinctSketch }>();
    for (const accepted of group) {
      if (accepted.delta.users.isEmpty) continue;
      const { workflowId, occurredAt } = accepted.event.detail;
      const ms = Date.parse(occurredAt);
      for (const sk of [Keys.sketch('hour', hourKey(ms)), Keys.sketch('day', dayKey(ms))]) {
        const id = `${workflowId}|${sk}`;
        let entry = sketches.get(id);
        if (!entry) {
          entry = { pk: Keys.counters(workflowId), sk, sketch: new DistinctSketch() };
          sketches.set(id, entry);
        }
        entry.sketch.merge(accepted.delta.users);
      }
    }
    await Promise.all([...sketches.values()].map((entry) => this.mergeSketch(entry)));
  }

  // DynamoDB has no "max" update, so a sketch is merged and written back under a version check. The
  // last version this instance wrote or read is kept: a merge that changes no register (returning
  // users) costs no request at all, and a change is written without a read unless another writer won.
  private async mergeSketch(entry: { pk: string; sk: string; sketch: DistinctSketch }) {
    const Key = { pk: { S: entry.pk }, sk: { S: entry.sk } };
    const id = `${entry.pk}|${entry.sk}`;
    let base = this.sketchCache.get(id);
    for (let attempt = 1; ; attempt++) {
      if (!base) {
        const { Item } = await this.options.client.send(
          new GetItemCommand({ TableName: this.options.tableName, Key, ConsistentRead: true }),
        );
        base = {
          sketch: sketchFromItem(Item),
          version: Number(Item?.version?.N ?? 0),
        };
      }
      const merged = new DistinctSketch();
      merged.merge(base.sketch);
      if (!merged.merge(entry.sketch)) {
        this.rememberSketch(id, base);
        return;
      }
      try {
        this.stats.otherWrites++;
        await this.options.client.send(
          new PutItemCommand({
            TableName: this.options.tableName,
            Item: {
              ...Key,
              ...sketchAttribute(merged),
              version: { N: String(base.version + 1) },
            },
            ConditionExpression: base.version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
            ...(base.version === 0
              ? {}
              : { ExpressionAttributeValues: { ':version': { N: String(base.version) } } }),
          }),
        );
        this.rememberSketch(id, { sketch: merged, version: base.version + 1 });
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= this.options.maxAttempts)
          throw error;
        base = undefined; // someone else wrote it: read theirs and merge again
      }
    }
  }

  private rememberSketch(id: string, value: { sketch: DistinctSketch; version: number }) {
    this.sketchCache.delete(id);
    this.sketchCache.set(id, value);
    // Insertion order makes the first key the least recently used.
    if (this.sketchCache.size > SKETCH_CACHE_ENTRIES) {
      const oldest = this.sketchCache.keys().next().value;
      if (oldest !== undefined) this.sketchCache.delete(oldest);
    }
  }

  // The registry lists workflows for GET /workflows; it is not part of the exactly-once counts, so it is
  // written outside the transactions and at most once per workflow per store instance.
  private async registerWorkflows(counted: readonly AcceptedEvent[]) {
    const now = new Date(this.options.now()).toISOString();
    const fresh = [...new Set(counted.map((e) => e.event.detail.workflowId))].filter(
      (id) => !this.registered.has(id),
    );
    await Promise.all(
      fresh.map(async (workflowId) => {
        const key = Keys.registry(workflowId);
        this.stats.otherWrites++;
        await this.options.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: key.pk }, sk: { S: key.sk } },
            UpdateExpression: 'SET firstSeenAt = if_not_exists(firstSeenAt, :now), lastSeenAt = :now',
            ExpressionAttributeValues: { ':now': { S: now } },
          }),
        );
        this.registered.add(workflowId);
      }),
    );
  }

  async quarantine(entries: readonly QuarantineEntry[]): Promise<void> {
    const expiresAt = Math.floor(this.options.now() / 1000) + this.options.quarantineTtlDays * 86_400;
    await Promise.all(
      entries.map(async (entry) => {
        const key = Keys.quarantine(entry.receivedAt.slice(0, 10), entry.id);
        const item: Record<string, AttributeValue> = {
          pk: { S: key.pk },
          sk: { S: key.sk },
          receivedAt: { S: entry.receivedAt },
          code: { S: entry.rejection.code },
          message: { S: entry.rejection.message },
          body: { S: entry.body },
          expiresAt: { N: String(expiresAt) },
        };
        for (const field of ['detailType', 'source', 'workflowId', 'eventId'] as const) {
          const value = entry[field];
          if (value) item[field] = { S: value };
        }
        if (entry.rejection.field) item.field = { S: entry.rejection.field };
        this.stats.otherWrites++;
        await this.options.client.send(new PutItemCommand({ TableName: this.options.tableName, Item: item }));
      }),
    );
  }

  async recordConflicts(entries: readonly ConflictEntry[]): Promise<void> {
    const expiresAt = Math.floor(this.options.now() / 1000) + 90 * 86_400;
    await Promise.all(
      entries.map(async (entry) => {
        const key = Keys.conflict(entry.workflowId, entry.eventId, entry.conflictingFingerprint);
        this.stats.otherWrites++;
        await this.options.client.send(
          new PutItemCommand({
            TableName: this.options.tableName,
            Item: {
              pk: { S: key.pk },
              sk: { S: key.sk },
              workflowId: { S: entry.workflowId },
              eventId: { S: entry.eventId },
              firstFingerprint: { S: entry.firstFingerprint },
              conflictingFingerprint: { S: entry.conflictingFingerprint },
              detectedAt: { S: entry.detectedAt },
              expiresAt: { N: String(expiresAt) },
            },
          }),
        );
      }),
    );
  }

  async recordPipeline(day: string, counts: PipelineCounts): Promise<void> {
    const key = Keys.pipeline(day);
    const entries = Object.entries(counts).filter(([, value]) => value > 0);
    if (entries.length === 0) return;
    this.stats.otherWrites++;
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          entries.map(([, value], i) => [`:c${i}`, { N: String(value) }]),
        ),
      }),
    );
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>, limit = Number.POSITIVE_INFINITY) {
    const items: Record<string, AttributeValue>[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({ TableName: this.options.tableName, ...input, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < limit);
    return items.slice(0, limit);
  }

  private queryRange(pk: string, fromSk: string, toSkExclusive: string, limit?: number) {
    return this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: fromSk }, ':to': { S: toSkExclusive } },
      },
      limit,
    ).then((items) => items.filter((item) => (item.sk?.S ?? '') < toSkExclusive));
  }

  async readBuckets(
    workflowId: string,
    granularity: GranularityName,
    fromKey: string,
    toKeyExclusive: string,
  ): Promise<CounterBucket[]> {
    const pk = Keys.counters(workflowId);
    const [counterItems, sketchItems] = await Promise.all([
      this.queryRange(pk, Keys.bucket(granularity, fromKey), Keys.bucket(granularity, toKeyExclusive)),
      this.queryRange(pk, Keys.sketch(granularity, fromKey), Keys.sketch(granularity, toKeyExclusive)),
    ]);
    const keyOf = (item: Record<string, AttributeValue>) => (item.sk?.S ?? '').split('#')[1] ?? '';
    const buckets = new Map(counterItems.map((item) => [keyOf(item), countersFromItem(item)]));
    for (const item of sketchItems) {
      const key = keyOf(item);
      const counters = buckets.get(key) ?? emptyCounters();
      counters.users.merge(countersFromItem(item).users);
      buckets.set(key, counters);
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, counters]) => ({ key, counters }));
  }

  async listWorkflows(): Promise<WorkflowRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'WORKFLOWS' } },
    });
    return items.map((item) => ({
      workflowId: item.sk?.S ?? '',
      firstSeenAt: item.firstSeenAt?.S ?? '',
      lastSeenAt: item.lastSeenAt?.S ?? '',
    }));
  }

  async listOverrides(
    workflowId: string,
    fromIso: string,
    toIso: string,
    limit: number,
  ): Promise<OverrideRecord[]> {
    const items = await this.queryRange(`OVR#${workflowId}`, fromIso, toIso, limit);
    return items.map((item) => ({
      eventId: item.eventId?.S ?? '',
      occurredAt: item.occurredAt?.S ?? '',
      decision: item.decision?.S ?? '',
      source: item.source?.S ?? '',
      ...(item.runId?.S ? { runId: item.runId.S } : {}),
      ...(item.reviewerId?.S ? { reviewerId: item.reviewerId.S } : {}),
      ...(item.reasonCode?.S ? { reasonCode: item.reasonCode.S } : {}),
      ...(item.reviewMs?.N ? { reviewMs: Number(item.reviewMs.N) } : {}),
    }));
  }

  async listQuarantine(day: string, limit: number): Promise<QuarantineEntry[]> {
    const nowSeconds = Math.floor(this.options.now() / 1000);
    const items = await this.queryAll(
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `QUAR#${day}` } } },
      limit,
    );
    // TTL deletes lag by up to two days: expired items are filtered on read.
    return items
      .filter((item) => Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) > nowSeconds)
      .map((item) => ({
        id: item.sk?.S ?? '',
        receivedAt: item.receivedAt?.S ?? '',
        rejection: {
          code: (item.code?.S ?? 'invalid_field') as QuarantineEntry['rejection']['code'],
          message: item.message?.S ?? '',
          ...(item.field?.S ? { field: item.field.S } : {}),
        },
        body: item.body?.S ?? '',
        ...(item.detailType?.S ? { detailType: item.detailType.S } : {}),
        ...(item.source?.S ? { source: item.source.S } : {}),
        ...(item.workflowId?.S ? { workflowId: item.workflowId.S } : {}),
        ...(item.eventId?.S ? { eventId: item.eventId.S } : {}),
      }));
  }

  async listConflicts(workflowId: string, limit: number): Promise<ConflictEntry[]> {
    const items = await this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `CONFLICT#${workflowId}` } },
      },
      limit,
    );
    return items.map((item) => ({
      workflowId,
      eventId: item.eventId?.S ?? '',
      firstFingerprint: item.firstFingerprint?.S ?? '',
      conflictingFingerprint: item.conflictingFingerprint?.S ?? '',
      detectedAt: item.detectedAt?.S ?? '',
    }));
  }

  async readPipeline(fromDay: string, toDayExclusive: string) {
    const items = await this.queryRange('PIPELINE', `D#${fromDay}`, `D#${toDayExclusive}`);
    const n = (item: Record<string, AttributeValue>, name: string) => Number(item[name]?.N ?? 0);
    return items.map((item) => ({
      day: (item.sk?.S ?? '').slice(2),
      received: n(item, 'received'),
      counted: n(item, 'counted'),
      duplicates: n(item, 'duplicates'),
      conflicts: n(item, 'conflicts'),
      quarantined: n(item, 'quarantined'),
    }));
  }
}
