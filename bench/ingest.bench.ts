import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { demoFleet } from '../infra/local/demo/fleet.ts';
import { ensureTable } from '../infra/local/dynamodb-local.ts';
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
  readonly writeUnitsPerEvent: number;
}

const DAY_MS = 86_400_000;

/** Captures every TransactWriteItems the store sends, to size its items afterwards. */
const captureTransactions = (client: DynamoDBClient) => {
  const captured: TransactWriteItem[][] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        captured.push((args.input as { TransactItems: TransactWriteItem[] }).TransactItems);
      }
      return next(args);
    },
    { step: 'initialize', name: `captureTransactions-${Math.random()}` },
  );
  return captured;
};

// Updates are sized by the item as it stands after the run: an upper bound of each update's size.
const writeUnitsOf = async (
  client: DynamoDBClient,
  tableName: string,
  transactions: TransactWriteItem[][],
) => {
  const finalSizes = new Map<string, number>();
  let units = 0;
  for (const action of transactions.flat()) {
    if (action.Put?.Item) units += transactionalWriteUnits(itemSizeBytes(action.Put.Item));
    else if (action.Update?.Key) {
      const id = JSON.stringify(action.Update.Key);
      let size = finalSizes.get(id);
      if (size === undefined) {
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: action.Update.Key }),
        );
        size = Item ? itemSizeBytes(Item) : 0;
        finalSizes.set(id, size);
      }
      units += transactionalWriteUnits(size);
    }
  }
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
  const captured = captureTransactions(client);
  const store = new DynamoDbMetricsStore({ client, tableName });
  const price = loadCatalogFile('catalog.json').price;
  const window = { nowMs: options.nowMs, latenessMs: 35 * DAY_MS };
  const incoming = incomingFrom(options.nowMs, options.events);
  const ingestAll = async () => {
    for (let i = 0; i < incoming.length; i += options.batchSize) {
      await countBatch(incoming.slice(i, i + options.batchSize), { store, price, window });
    }
  };
  if (options.resend) await ingestAll();
  captured.length = 0;
  const before = { ...store.stats };
  const started = performance.now();
  await ingestAll();
  const seconds = (performance.now() - started) / 1000;
  const requests =
    store.stats.transactions - before.transactions + (store.stats.otherWrites - before.otherWrites);
  const units = await writeUnitsOf(client, tableName, captured);
  return {
    label: `${options.resend ? 're-sent duplicates' : 'new events'}, batch ${options.batchSize}`,
    events: incoming.length,
    seconds,
    eventsPerSecond: incoming.length / seconds,
    requestsPerEvent: requests / incoming.length,
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
    writeUnitsPerEvent: units / events,
  };
};
