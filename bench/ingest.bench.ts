import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { demoFleet } from '../infra/local/demo/fleet.ts';
import { ensureTable } from '../infra/local/dynamodb-local.ts';
import { endpointOf, functionClients } from '../infra/local/iam-enforcement.ts';
import { loadCatalogFile } from '../shared/catalog/load.ts';
import { countBatch, type IncomingEvent } from '../shared/ingest/count-batch.ts';
import { DynamoDbMetricsStore } from '../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { itemSizeBytes, standardWriteUnits, transactionalWriteUnits } from './item-size.ts';

export interface IngestFigures {
  readonly label: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly requestsPerEvent: number;
  readonly readsPerEvent: number;
  readonly writeUnitsPerEvent: number;
}

const DAY_MS = 86_400_000;

interface CapturedCalls {
  transactions: TransactWriteItem[][];
  puts: Record<string, AttributeValue>[];
  updates: Record<string, AttributeValue>[];
  reads: number;
}

/** Captures every write the store sends (and counts its reads), to size the items afterwards. */
const captureCalls = (client: DynamoDBClient): CapturedCalls => {
  const calls: CapturedCalls = { transactions: [], puts: [], updates: [], reads: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (context.commandName === 'TransactWriteItemsCommand') {
        calls.transactions.push(input.TransactItems as TransactWriteItem[]);
      } else if (context.commandName === 'PutItemCommand') {
        calls.puts.push(input.Item as Record<string, AttributeValue>);
      } else if (context.commandName === 'UpdateItemCommand') {
        calls.updates.push(input.Key as Record<string, AttributeValue>);
      } else if (context.commandName === 'GetItemCommand') {
        calls.reads++;
      }
      return next(args);
    },
    { step: 'initialize', name: `captureCalls-${Math.random()}` },
  );
  return calls;
};

// Updates are sized by the item as it stands after the run: an upper bound of each update's size.
const writeUnitsOf = async (client: DynamoDBClient, tableName: string, calls: CapturedCalls) => {
  const finalSizes = new Map<string, number>();
  const finalSize = async (key: Record<string, AttributeValue>) => {
    const id = JSON.stringify(key);
    let size = finalSizes.get(id);
    if (size === undefined) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key }));
      size = Item ? itemSizeBytes(Item) : 0;
      finalSizes.set(id, size);
    }
    return size;
  };
  let units = 0;
  for (const action of calls.transactions.flat()) {
    if (action.Put?.Item) units += transactionalWriteUnits(itemSizeBytes(action.Put.Item));
    else if (action.Update?.Key) units += transactionalWriteUnits(await finalSize(action.Update.Key));
  }
  for (const item of calls.puts) units += standardWriteUnits(itemSizeBytes(item));
  for (const key of calls.updates) units += standardWriteUnits(await finalSize(key));
  return units;
};

const incomingFrom = (nowMs: number, limit: number): IncomingEvent[] =>
  demoFleet(nowMs)
    .entries.slice(0, limit)
    .map((entry, i) => ({
      ref: `m${i}`,
      id: `m${i}`,
      detailType: entry.DetailType,
      source: entry.Source,
      detail: entry.Detail,
      body: JSON.stringify(entry),
    }));

/**
 * Ingests the demo fleet's first `events` events through the real path (countBatch → DynamoDB
 * Local transactions) in batches of `batchSize`, and counts requests and write units per event.
 */
export const benchIngest = async (
  client: DynamoDBClient,
  options: {
    readonly batchSize: number;
    readonly events: number;
    readonly nowMs: number;
    readonly resend?: boolean;
  },
): Promise<IngestFigures> => {
  const tableName = `bench-${options.batchSize}-${options.resend ? 'dup' : 'new'}-${Date.now()}`;
  await ensureTable(client, tableName);
  // The store runs with the aggregate function's permissions, as on AWS; `client` sizes items afterwards.
  const aggregate = functionClients('aggregate', { endpoint: await endpointOf(client), tableName });
  const captured = captureCalls(aggregate.dynamodb);
  const store = new DynamoDbMetricsStore({ client: aggregate.dynamodb, tableName });
  const price = loadCatalogFile('catalog.json').price;
  const window = { nowMs: options.nowMs, latenessMs: 35 * DAY_MS };
  const incoming = incomingFrom(options.nowMs, options.events);
  const ingestAll = async () => {
    for (let i = 0; i < incoming.length; i += options.batchSize) {
      await countBatch(incoming.slice(i, i + options.batchSize), { store, price, window });
    }
  };
  if (options.resend) await ingestAll();
  Object.assign(captured, { transactions: [], puts: [], updates: [], reads: 0 });
  const started = performance.now();
  await ingestAll();
  const seconds = (performance.now() - started) / 1000;
  const requests =
    captured.transactions.length + captured.puts.length + captured.updates.length + captured.reads;
  const reads = captured.reads;
  aggregate.destroy();
  const units = await writeUnitsOf(client, tableName, captured);
  return {
    label: `${options.resend ? 're-sent duplicates' : 'new events'}, batch ${options.batchSize}`,
    events: incoming.length,
    seconds,
    eventsPerSecond: incoming.length / seconds,
    requestsPerEvent: requests / incoming.length,
    readsPerEvent: reads / incoming.length,
    writeUnitsPerEvent: units / incoming.length,
  };
};

/**
 * The baseline: the same number of items written with BatchWriteItem (25 per request, no
 * conditions), the cheapest way to land one item per event — but with no dedupe and no counters.
 */
export const benchBaseline = async (client: DynamoDBClient, events: number): Promise<IngestFigures> => {
  const tableName = `bench-baseline-${Date.now()}`;
  await ensureTable(client, tableName);
  const started = performance.now();
  let requests = 0;
  let units = 0;
  for (let i = 0; i < events; i += 25) {
    const items = Array.from({ length: Math.min(25, events - i) }, (_, j) => ({
      pk: { S: `EVT#bench#${i + j}` },
      sk: { S: '-' },
      fingerprint: { S: 'x'.repeat(22) },
      expiresAt: { N: '1800000000' },
    }));
    units += items.reduce((sum, item) => sum + standardWriteUnits(itemSizeBytes(item)), 0);
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    requests++;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    label: 'baseline: BatchWriteItem, one plain item per event',
    events,
    seconds,
    eventsPerSecond: events / seconds,
    requestsPerEvent: requests / events,
    readsPerEvent: 0,
    writeUnitsPerEvent: units / events,
  };
};
