import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { demoFleet } from '../infra/local/demo/fleet.ts';
import { ensureTable } from '../infra/local/dynamodb-local.ts';
import { endpointOf, functionClients } from '../infra/local/iam-enforcement.ts';
import { startLocalCounting } from '../infra/local/local-counting.ts';
import { loadCatalogFile } from '../shared/catalog/load.ts';
import { countBatch, type IncomingEvent } from '../shared/ingest/count-batch.ts';
import { DynamoDbMetricsStore } from '../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { incomingOf } from './ingest-shapes.ts';
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
  /** Requests: BatchWriteItem counts once, its items are in `puts`. */
  writeRequests: number;
  reads: number;
}

/** Captures every write the store sends (and counts its reads), to size the items afterwards. */
const captureCalls = (client: DynamoDBClient): CapturedCalls => {
  const calls: CapturedCalls = { transactions: [], puts: [], updates: [], writeRequests: 0, reads: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const command = context.commandName ?? '';
      if (command === 'TransactWriteItemsCommand') {
        calls.transactions.push(input.TransactItems as TransactWriteItem[]);
        calls.writeRequests++;
      } else if (command === 'PutItemCommand') {
        calls.puts.push(input.Item as Record<string, AttributeValue>);
        calls.writeRequests++;
      } else if (command === 'BatchWriteItemCommand') {
        const requests = Object.values(input.RequestItems as Record<string, WriteRequest[]>).flat();
        for (const request of requests)
          if (request.PutRequest?.Item) calls.puts.push(request.PutRequest.Item);
        calls.writeRequests++;
      } else if (command === 'UpdateItemCommand') {
        calls.updates.push(input.Key as Record<string, AttributeValue>);
        calls.writeRequests++;
      } else if (
        command === 'GetItemCommand' ||
        command === 'BatchGetItemCommand' ||
        command === 'QueryCommand'
      ) {
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
  demoFleet(nowMs).entries.slice(0, limit).map(incomingOf);

/**
 * Counts the demo fleet's first `events` events through the real path, in SQS batches of
 * `batchSize`: the aggregate's countBatch records them (BatchGetItem, BatchWriteItem), then the
 * counters function applies the table's stream in batches of up to 1,000 records (as the stack's
 * mapping delivers them when traffic fills its one-second window). Requests and write units per
 * event cover both functions.
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
  const streamArn = await ensureTable(client, tableName);
  // Each function runs with its own permissions, as on AWS; `client` sizes items afterwards.
  const endpoint = await endpointOf(client);
  const aggregate = functionClients('aggregate', { endpoint, tableName });
  const counters = functionClients('counters', { endpoint, tableName });
  const captured = captureCalls(aggregate.dynamodb);
  const countersCaptured = captureCalls(counters.dynamodb);
  const count = async () => {
    const counting = startLocalCounting({ clients: counters, tableName, streamArn, idleMs: 5 });
    await counting.settle();
    await counting.stop();
  };
  const store = new DynamoDbMetricsStore({ client: aggregate.dynamodb, tableName });
  const price = loadCatalogFile('catalog.json').price;
  const window = { nowMs: options.nowMs, latenessMs: 35 * DAY_MS };
  const incoming = incomingFrom(options.nowMs, options.events);
  const ingestAll = async () => {
    for (let i = 0; i < incoming.length; i += options.batchSize) {
      await countBatch(incoming.slice(i, i + options.batchSize), { store, price, window });
    }
  };
  if (options.resend) {
    await ingestAll();
    await count();
  }
  for (const calls of [captured, countersCaptured])
    Object.assign(calls, { transactions: [], puts: [], updates: [], writeRequests: 0, reads: 0 });
  const started = performance.now();
  await ingestAll();
  await count();
  const seconds = (performance.now() - started) / 1000;
  const requests =
    captured.writeRequests + captured.reads + countersCaptured.writeRequests + countersCaptured.reads;
  const reads = captured.reads + countersCaptured.reads;
  aggregate.destroy();
  counters.destroy();
  const units =
    (await writeUnitsOf(client, tableName, captured)) +
    (await writeUnitsOf(client, tableName, countersCaptured));
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
