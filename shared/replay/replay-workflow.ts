import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { MAX_WRITE_SHARDS } from '../limits.ts';
import type { Pricer } from '../metrics/counters.ts';
import { countersFromItem, sketchAttribute } from '../store/dynamodb/counter-codec.ts';
import { counterItemsOf } from '../store/dynamodb/counter-items.ts';
import { Keys, RECORDED_PREFIX } from '../store/dynamodb/keys.ts';
import { runPool } from '../store/dynamodb/pool.ts';
import { queryAll } from '../store/dynamodb/query-pages.ts';
import {
  acceptedFromRecordedItem,
  UnreadableRecordedEventError,
} from '../store/dynamodb/recorded-event-codec.ts';
import { ReplayInterruptedError } from './replay-errors.ts';
import {
  bucketStartOf,
  highestPositions,
  holdsCounters,
  holdsUsers,
  itemKindOf,
  rebuiltCounterItem,
  storedUsers,
  unchangedCondition,
} from './replay-items.ts';
import { type DeltaSourceName, type PlanOptions, planReplay, type RecordedEvent } from './replay-plan.ts';
import { rewriteChangedEvents } from './replay-rewrite.ts';
import { type ReplayTotals, totalsOf } from './replay-totals.ts';

type Item = Record<string, AttributeValue>;

export interface ReplayOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly workflowId: string;
  /** The catalog's current prices (used with `source: 'reprice'`). */
  readonly price: Pricer;
  /** @default 'reprice' */
  readonly source?: DeltaSourceName;
  /** Rebuild buckets starting at or after this instant (replay-window.ts `replayFromMs`). */
  readonly fromMs: number;
  readonly nowMs: number;
  /** Count and compare only; write nothing. */
  readonly dryRun?: boolean;
  /** @default counterItemsOf */
  readonly itemsOf?: PlanOptions['itemsOf'];
  /** Writes in flight at once. @default 8 */
  readonly concurrency?: number;
}

export interface ReplayReport {
  readonly workflowId: string;
  readonly from: string;
  readonly source: DeltaSourceName;
  readonly dryRun: boolean;
  /** Recorded events read (all of the workflow's, any age), and those inside the window. */
  readonly eventsRead: number;
  readonly eventsReplayed: number;
  /** Stored items that are not a recorded event this version can read: left alone, not counted. */
  readonly unreadable: number;
  /** Events whose delta changed (re-priced), their recorded items rewritten with it. */
  readonly eventsChanged: number;
  readonly countersRewritten: number;
  readonly countersUnchanged: number;
  readonly countersRemoved: number;
  readonly sketchesRewritten: number;
  readonly sketchesRemoved: number;
  /** Counter items outside the workflow's partition (shared rollups) adjusted by the changed deltas. */
  readonly sharedAdjusted: number;
  readonly before: ReplayTotals;
  readonly after: ReplayTotals;
}

const recordedEventsOf = async (options: ReplayOptions) => {
  const events: RecordedEvent[] = [];
  let unreadable = 0;
  let read = 0;
  const nowSeconds = options.nowMs / 1000;
  // Every shard a workflow may ever have used: `writeShards` can change, and old events stay where they were.
  await runPool(
    Array.from(
      { length: MAX_WRITE_SHARDS },
      (_, shard) => `${RECORDED_PREFIX}${options.workflowId}#${shard}`,
    ),
    options.concurrency ?? 8,
    async (pk) => {
      const items = await queryAll(options.client, options.tableName, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
      });
      for (const item of items) {
        // TTL deletes lazily: an expired item may linger; it belongs to a bucket outside the window.
        if (item.expiresAt?.N !== undefined && Number(item.expiresAt.N) <= nowSeconds) continue;
        try {
          const accepted = acceptedFromRecordedItem(item, `${pk}/${item.sk?.S}`);
          read++;
          // Only the window's events are kept in memory: a workflow's older history can be long.
          if (Date.parse(accepted.event.detail.occurredAt) < options.fromMs) continue;
          events.push({ pk, sk: item.sk?.S ?? '', accepted });
        } catch (error) {
          if (!(error instanceof UnreadableRecordedEventError)) throw error;
          unreadable++;
        }
      }
    },
  );
  return { events, unreadable, read };
};

const interrupted = (error: unknown, what: string): never => {
  if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException)
    throw new ReplayInterruptedError(
      `${what} changed while the replay rewrote it: counting is not paused (docs/replay.md). Pause it and run the replay again.`,
      { cause: error },
    );
  throw error;
};

/**
 * Rebuilds a workflow's counters from its recorded events, for the buckets from `fromMs` on: every
 * counter item of its partition that those events add to is overwritten with their totals (each
 * event's delta re-priced with the catalog's current prices, or as stored), items no event supports
 * are removed, the user sketches rebuilt (an hour's in its counter item), and counter items outside the partition (shared rollups)
 * adjusted by the changed deltas, atomically with the rewrite of those events' stored deltas.
 *
 * Counting must be quiescent for the workflow while it runs: nothing recorded and every recorded
 * event counted (docs/replay.md). Each write is conditional on the item being as it was read, so a
 * replay that races counting stops with {@link ReplayInterruptedError} instead of losing or doubling.
 * Running it twice is running it once: the second run finds every item as it would write it.
 *
 * @example
 * ```ts
 * const report = await replayWorkflow({ client, tableName, workflowId: 'invoice-triage', price: catalog.price, fromMs, nowMs: Date.now() });
 * ```
 */
export const replayWorkflow = async (options: ReplayOptions): Promise<ReplayReport> => {
  const { client, tableName, workflowId, fromMs } = options;
  const source = options.source ?? 'reprice';
  const concurrency = options.concurrency ?? 8;
  const ownPk = Keys.counters(workflowId);
  const partition = await queryAll(client, tableName, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: ownPk } },
    ConsistentRead: true,
  });
  const { events, unreadable, read } = await recordedEventsOf(options);
  const itemsOf = options.itemsOf ?? counterItemsOf;
  const plan = planReplay(events, { workflowId, source, price: options.price, fromMs, itemsOf });

  const inWindow = (item: Item) => (bucketStartOf(item.sk?.S ?? '') ?? -Infinity) >= fromMs;
  const stored = new Map(partition.map((item) => [item.sk?.S ?? '', item]));
  const counterItems = partition.filter((item) => itemKindOf(item.sk?.S ?? '') === 'counter');
  const positions = highestPositions(counterItems);
  const before = totalsOf(
    counterItems.filter(inWindow).map((item) => ({ sk: item.sk?.S ?? '', counters: countersFromItem(item) })),
  );
  const after = totalsOf([...plan.owned.values()]);

  const rewrites = [...plan.owned.values()].filter((planned) => {
    const current = stored.get(planned.sk);
    return (
      !current ||
      !holdsCounters(current, planned.counters) ||
      (planned.users !== undefined && !holdsUsers(current, planned.users))
    );
  });
  const removals = counterItems.filter((item) => inWindow(item) && !plan.owned.has(`${ownPk}|${item.sk?.S}`));
  const sketchRewrites = [...plan.sketches.values()].filter(
    (planned) => storedUsers(stored.get(planned.sk)) !== storedUsers(sketchAttribute(planned.sketch)),
  );
  const sketchRemovals = partition.filter(
    (item) =>
      itemKindOf(item.sk?.S ?? '') === 'sketch' && inWindow(item) && !plan.sketches.has(item.sk?.S ?? ''),
  );
  if (!options.dryRun) {
    await runPool(rewrites, concurrency, async (planned) => {
      const current = stored.get(planned.sk);
      await client
        .send(
          new PutItemCommand({
            TableName: tableName,
            Item: rebuiltCounterItem(current, planned.counters, { ...planned, workflowId, positions }),
            ...unchangedCondition(current),
          }),
        )
        .catch((error) => interrupted(error, `${planned.pk}/${planned.sk}`));
    });
    await runPool([...removals, ...sketchRemovals], concurrency, async (item) => {
      const isSketch = itemKindOf(item.sk?.S ?? '') === 'sketch';
      await client
        .send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue },
            ...unchangedCondition(item, isSketch ? 'version' : undefined),
          }),
        )
        .catch((error) => interrupted(error, `${ownPk}/${item.sk?.S}`));
    });
    await runPool(sketchRewrites, concurrency, async (planned) => {
      const current = stored.get(planned.sk);
      // The version moves on, so a counters function holding the old sketch in its cache re-reads it.
      const version = Number(current?.version?.N ?? 0) + 1;
      await client
        .send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: planned.pk },
              sk: { S: planned.sk },
              ...sketchAttribute(planned.sketch),
              version: { N: String(version) },
            },
            ...unchangedCondition(current, 'version'),
          }),
        )
        .catch((error) => interrupted(error, `${planned.pk}/${planned.sk}`));
    });
  }
  // A dry run reads which shared rollups exist, to report the adjustments it would make.
  const sharedAdjusted = await rewriteChangedEvents(plan.changed, {
    client,
    tableName,
    ownPk,
    itemsOf,
    dryRun: options.dryRun,
  }).catch((error) => interrupted(error, 'a recorded event or a shared counter item'));
  return {
    workflowId,
    from: new Date(fromMs).toISOString(),
    source,
    dryRun: options.dryRun ?? false,
    eventsRead: read,
    eventsReplayed: plan.events,
    unreadable,
    eventsChanged: plan.changed.length,
    countersRewritten: rewrites.length,
    countersUnchanged: plan.owned.size - rewrites.length,
    countersRemoved: removals.length,
    sketchesRewritten: sketchRewrites.length,
    sketchesRemoved: sketchRemovals.length,
    sharedAdjusted,
    before,
    after,
  };
};
