import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { type Counters, emptyCounters, mergeCounters } from '../../metrics/counters.ts';
import { DAY_MS, dayKey } from '../../time.ts';
import type { FleetWeekEntry } from '../port.ts';
import { countersFromItem } from './counter-codec.ts';
import { FLEET_SHARDS, fleetItemKind, Keys } from './keys.ts';
import { runPool } from './pool.ts';
import { queryAll } from './query-pages.ts';
import { backOff } from './retry.ts';
import { FleetReadError } from './store-errors.ts';

type Item = Record<string, AttributeValue>;

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_KEYS = 100;
const MAX_ATTEMPTS = 6;

/**
 * The whole fleet's ISO week from the rollup: {@link FLEET_SHARDS} paged Queries, one per fleet
 * partition, whatever the fleet's size (each page holds up to 1 MB, about a thousand workflows).
 *
 * @example
 * ```ts
 * const entries = await readFleetWeek(client, 'yardstick', '2026-W47');
 * entries[0]; // { workflowId: 'invoice-triage', counters, variants: Map { 'ai' => … } }
 * ```
 */
export const readFleetWeek = async (
  client: DynamoDBClient,
  tableName: string,
  week: string,
): Promise<FleetWeekEntry[]> => {
  const partitions = await Promise.all(
    Array.from({ length: FLEET_SHARDS }, (_, shard) =>
      queryAll(client, tableName, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: Keys.fleetWeek(week, shard) } },
      }),
    ),
  );
  const entries = new Map<string, { counters: Counters; variants: Map<string, Counters> }>();
  const entryOf = (workflowId: string) => {
    let entry = entries.get(workflowId);
    if (!entry) {
      entry = { counters: emptyCounters(), variants: new Map() };
      entries.set(workflowId, entry);
    }
    return entry;
  };
  for (const item of partitions.flat()) {
    const key = fleetItemKind(item.sk?.S ?? '');
    const entry = entryOf(key.workflowId);
    const counters = countersFromItem(item);
    if (key.kind === 'totals') mergeCounters(entry.counters, counters);
    else if (key.kind === 'users') entry.counters.users.merge(counters.users);
    else entry.variants.set(key.variant, counters);
  }
  return [...entries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([workflowId, { counters, variants }]) => ({ workflowId, counters, variants }));
};

/**
 * Each workflow's day counters (with distinct users) summed over `[fromDay, toDayExclusive)`, read
 * with BatchGetItem: 100 keys a call, a day item and its sketch per workflow and day, so a page of
 * the fleet costs the same whatever the fleet's size. Workflows with nothing in the range get empty
 * counters.
 *
 * @example
 * ```ts
 * const totals = await readDayTotals(client, 'yardstick', ['invoice-triage'], '2026-11-19', '2026-11-26');
 * totals.get('invoice-triage')?.values.succeeded; // 412n
 * ```
 */
export const readDayTotals = async (
  client: DynamoDBClient,
  tableName: string,
  workflowIds: readonly string[],
  fromDay: string,
  toDayExclusive: string,
): Promise<Map<string, Counters>> => {
  const days: string[] = [];
  for (let ms = Date.parse(fromDay); dayKey(ms) < toDayExclusive; ms += DAY_MS) days.push(dayKey(ms));
  const keys = [...new Set(workflowIds)].flatMap((workflowId) =>
    days.flatMap((day) => [
      { pk: { S: Keys.counters(workflowId) }, sk: { S: Keys.bucket('day', day) } },
      { pk: { S: Keys.counters(workflowId) }, sk: { S: Keys.sketch('day', day) } },
    ]),
  );
  const chunks: Item[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) chunks.push(keys.slice(i, i + BATCH_GET_KEYS));
  const items: Item[] = [];
  await runPool(chunks, 8, async (chunk) => {
    let pending: Item[] | undefined = chunk;
    for (let attempt = 1; pending?.length; attempt++) {
      if (attempt > MAX_ATTEMPTS)
        throw new FleetReadError('BatchGetItem left keys unprocessed after retries');
      if (attempt > 1) await backOff(attempt);
      const { Responses, UnprocessedKeys }: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys;
    }
  });
  const totals = new Map(workflowIds.map((workflowId) => [workflowId, emptyCounters()]));
  for (const item of items) {
    const workflowId = (item.pk?.S ?? '').slice(Keys.counters('').length);
    const total = totals.get(workflowId);
    if (total) mergeCounters(total, countersFromItem(item));
  }
  return totals;
};
