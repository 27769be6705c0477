import {
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { type Counters, emptyCounters, mergeCounters, subtractCounters } from '../metrics/counters.ts';
import { DistinctSketch } from '../metrics/distinct-sketch.ts';
import { counterAttributes, counterUpdate } from '../store/dynamodb/counter-codec.ts';
import type { CounterItemKey } from '../store/dynamodb/counter-items.ts';
import type { AcceptedEvent } from '../store/port.ts';
import type { ChangedEvent } from './replay-plan.ts';

/** Actions per transaction: DynamoDB Local's and older accounts' limit, well under today's 100. */
const TRANSACTION_ITEMS = 25;

export interface RewriteOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The workflow's own counters partition: its items were overwritten, not adjusted. */
  readonly ownPk: string;
  readonly itemsOf: (accepted: AcceptedEvent) => readonly CounterItemKey[];
  /** Count the adjustments a replay would make, and write nothing. */
  readonly dryRun?: boolean;
}

const difference = (next: Counters, previous: Counters): Counters =>
  subtractCounters(mergeCounters(emptyCounters(), { ...next, users: new DistinctSketch() }), previous);

/**
 * Stores each changed event's new delta on its recorded item, so that the counters and the recorded
 * deltas agree again (a later replay with stored deltas, or a check, finds what is counted). Counter
 * items outside the workflow's partition (rollups other workflows add to as well) cannot be
 * overwritten from this workflow's events alone: each is adjusted by (new − stored) of its events,
 * in the same transaction as those events' rewrites, so that a crash or a second run adjusts nothing
 * twice (a rewritten event's delta difference is zero). Shared items that do not exist are left
 * alone. Returns the number of shared-item adjustments.
 *
 * @example
 * ```ts
 * await rewriteChangedEvents(plan.changed, { client, tableName, ownPk: 'WF#invoice-triage', itemsOf: counterItemsOf });
 * ```
 */
export const rewriteChangedEvents = async (
  changed: readonly ChangedEvent[],
  options: RewriteOptions,
): Promise<number> => {
  const exists = new Map<string, boolean>();
  const sharedOf = async (accepted: AcceptedEvent) => {
    const keys = options.itemsOf(accepted).filter((key) => key.pk !== options.ownPk);
    for (const key of keys) {
      if (exists.has(key.id)) continue;
      const { Item } = await options.client.send(
        new GetItemCommand({
          TableName: options.tableName,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ProjectionExpression: 'pk',
          ConsistentRead: true,
        }),
      );
      exists.set(key.id, Item !== undefined);
    }
    return keys.filter((key) => exists.get(key.id));
  };
  let adjusted = 0;
  let events: ChangedEvent[] = [];
  let shared = new Map<string, { key: CounterItemKey; diff: Counters }>();
  const flush = async () => {
    if (events.length === 0) return;
    const items: TransactWriteItem[] = events.map(({ recorded, delta }) => ({
      Update: {
        TableName: options.tableName,
        Key: { pk: { S: recorded.pk }, sk: { S: recorded.sk } },
        UpdateExpression: 'SET #delta = :delta',
        ConditionExpression: 'fingerprint = :fingerprint',
        ExpressionAttributeNames: { '#delta': 'delta' },
        ExpressionAttributeValues: {
          ':delta': { M: counterAttributes(delta) },
          ':fingerprint': { S: recorded.accepted.fingerprint },
        },
      },
    }));
    for (const { key, diff } of shared.values()) {
      const update = counterUpdate(diff);
      if (update.UpdateExpression === '') continue;
      adjusted++;
      items.push({
        Update: {
          TableName: options.tableName,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ...update,
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
    }
    if (!options.dryRun) await options.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    events = [];
    shared = new Map();
  };
  for (const event of changed) {
    const keys = await sharedOf(event.recorded.accepted);
    const added = keys.filter((key) => !shared.has(key.id)).length;
    if (events.length + shared.size + added + 1 > TRANSACTION_ITEMS) await flush();
    events.push(event);
    const diff = difference(event.delta, event.recorded.accepted.delta);
    for (const key of keys) {
      const entry = shared.get(key.id) ?? { key, diff: emptyCounters() };
      mergeCounters(entry.diff, diff);
      shared.set(key.id, entry);
    }
  }
  await flush();
  return adjusted;
};
