import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTable, localDynamoDbClient } from '../infra/local/dynamodb-local.ts';
import { endpointOf, functionClients } from '../infra/local/iam-enforcement.ts';
import { localLambdaContext } from '../infra/local/lambda-context.ts';
import { startLocalCounting } from '../infra/local/local-counting.ts';
import { loadCatalogFile } from '../shared/catalog/load.ts';
import { countBatch, type IncomingEvent } from '../shared/ingest/count-batch.ts';
import { counterUpdate } from '../shared/store/dynamodb/counter-codec.ts';
import { counterItemsOf } from '../shared/store/dynamodb/counter-items.ts';
import { DynamoDbMetricsStore } from '../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { runPool } from '../shared/store/dynamodb/pool.ts';
import { type AcceptedEvent, IngestOutcome, type IngestResult } from '../shared/store/port.ts';
import { DAY_MS } from '../shared/time.ts';
import { attachRequestLedger, type RequestLedger } from './request-ledger.ts';

/** What one design cost on one set of events: a ledger per function. */
export interface DesignRun {
  readonly events: number;
  readonly seconds: number;
  /** The aggregate function's requests (recording), or the naive design's, or the floor's. */
  readonly recording: RequestLedger;
  /** The counters function's requests (applying the stream); empty for the naive design and the floor. */
  readonly counting?: RequestLedger;
}

export interface RunOptions {
  readonly incoming: readonly IncomingEvent[];
  readonly batchSize: number;
  readonly nowMs: number;
  /** Send every event twice and measure only the second sending. */
  readonly resend: boolean;
}

const LATENESS_MS = 35 * DAY_MS;
let tables = 0;
/** A client of its own per run, so that each run's ledger sees only its own requests. */
const ownClient = async (admin: DynamoDBClient) => localDynamoDbClient(await endpointOf(admin));

const freshTable = async (client: DynamoDBClient, label: string) => {
  const tableName = `bench-${label}-${Date.now()}-${tables++}`;
  return { tableName, streamArn: await ensureTable(client, tableName) };
};

/** Drops a run's table: DynamoDB Local slows down as tables and their stream records pile up. */
const dropTable = (client: DynamoDBClient, tableName: string) =>
  client.send(new DeleteTableCommand({ TableName: tableName }));

const sendAll = async (
  incoming: readonly IncomingEvent[],
  batchSize: number,
  store: DynamoDbMetricsStore,
  nowMs: number,
) => {
  const price = loadCatalogFile('catalog.json').price;
  const window = { nowMs, latenessMs: LATENESS_MS };
  for (let i = 0; i < incoming.length; i += batchSize) {
    const report = await countBatch(incoming.slice(i, i + batchSize), { store, price, window });
    if (report.failures.size > 0) throw new Error(`${report.failures.size} events failed to count`);
  }
};

/**
 * One event per workflow, reason code and variant under another id, sent through the same aggregate
 * instance before new events are measured: the workflows, their reason codes and their variants are
 * then registered and known to the instance, as in steady traffic, so one-time registrations (a
 * registry write per workflow, reason code and variant for its whole life) are not charged to the
 * events measured.
 */
export const warmUp = (incoming: readonly IncomingEvent[]): IncomingEvent[] => {
  const seen = new Set<string>();
  const warm: IncomingEvent[] = [];
  for (const event of incoming) {
    if (!('detail' in event)) continue;
    const detail = event.detail as {
      workflowId: string;
      eventId: string;
      reasonCode?: string;
      variant?: string;
    };
    const registered = `${detail.workflowId}|${detail.reasonCode ?? ''}|${detail.variant ?? ''}`;
    if (seen.has(registered)) continue;
    seen.add(registered);
    const renamed = { ...detail, eventId: `${detail.eventId}.warm-up` };
    const body = JSON.parse(event.body) as Record<string, unknown>;
    warm.push({
      ...event,
      ref: `warm-${event.ref}`,
      id: `warm-${event.id}`,
      detail: renamed,
      body: JSON.stringify({ ...body, Detail: renamed }),
    });
  }
  return warm;
};

/**
 * Issue 12's design, as deployed: the aggregate function records the events (countBatch, SQS batches
 * of `batchSize`), then the counters function applies the table's stream, read by the local stream
 * poller as Lambda's event source mapping reads it (batches of up to 1,000 records). Each function
 * runs with its own permissions and its own request ledger.
 */
export const runStreamDesign = async (admin: DynamoDBClient, options: RunOptions): Promise<DesignRun> => {
  const { tableName, streamArn } = await freshTable(admin, 'stream');
  const endpoint = await endpointOf(admin);
  const aggregate = functionClients('aggregate', { endpoint, tableName });
  const counters = functionClients('counters', { endpoint, tableName });
  const recording = attachRequestLedger(aggregate.dynamodb, admin);
  const counting = attachRequestLedger(counters.dynamodb, admin, counters.dynamodbStreams);
  const store = new DynamoDbMetricsStore({ client: aggregate.dynamodb, tableName });
  // One consumer for the whole run, as Lambda's mapping keeps its place in the stream. It is paused
  // while the aggregate records and resumed after, so that it reads full batches of up to 1,000
  // records, as the mapping's one-second window fills at high traffic: counting while the aggregate
  // writes would hand it whatever a 5-ms poll finds, a rate- and machine-dependent batch size.
  const local = startLocalCounting({ clients: counters, tableName, streamArn, idleMs: 5 });
  const countAll = async () => {
    local.poller.start();
    await local.settle();
    await local.stop();
  };
  try {
    await local.stop();
    await sendAll(
      options.resend ? options.incoming : warmUp(options.incoming),
      options.batchSize,
      store,
      options.nowMs,
    );
    await countAll();
    recording.reset();
    counting.reset();
    const started = performance.now();
    await sendAll(options.incoming, options.batchSize, store, options.nowMs);
    await countAll();
    return {
      events: options.incoming.length,
      seconds: (performance.now() - started) / 1000,
      recording,
      counting,
    };
  } finally {
    await local.stop();
    aggregate.destroy();
    counters.destroy();
    await dropTable(admin, tableName);
  }
};

/**
 * The naive design: Powertools idempotency (its DynamoDB persistence layer: a conditional PutItem
 * marking the event in progress, then an UpdateItem marking it completed) around one UpdateItem per
 * counter item per event (the hour and the day, and a named variant's). Same countBatch around it
 * (validation, quarantine, pipeline counters), same table. It keeps no users sketch and no override
 * trail, so it is a lower bound of what a naive design would cost.
 */
class NaiveStore extends DynamoDbMetricsStore {
  private readonly countOnce: (key: string) => Promise<boolean>;
  private readonly byKey = new Map<string, AcceptedEvent>();
  private readonly config: IdempotencyConfig;

  constructor(private readonly naive: { client: DynamoDBClient; tableName: string; ttlSeconds: number }) {
    super({ client: naive.client, tableName: naive.tableName });
    this.config = new IdempotencyConfig({ expiresAfterSeconds: naive.ttlSeconds });
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: naive.tableName,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: 'idempotency#aggregate',
      awsSdkV3Client: naive.client,
    });
    this.countOnce = makeIdempotent(async (key: string) => this.count(key), {
      persistenceStore,
      config: this.config,
    });
  }

  private counted = new Set<string>();

  private async count(key: string): Promise<boolean> {
    const accepted = this.byKey.get(key) as AcceptedEvent;
    for (const item of counterItemsOf(accepted)) {
      await this.naive.client.send(
        new UpdateItemCommand({
          TableName: this.naive.tableName,
          Key: { pk: { S: item.pk }, sk: { S: item.sk } },
          ...counterUpdate(accepted.delta),
        }),
      );
    }
    this.counted.add(key);
    return true;
  }

  override async ingest(events: readonly AcceptedEvent[]): Promise<IngestResult> {
    // Each batch is one invocation: its in-progress records expire with it, as in Lambda.
    this.config.registerLambdaContext(localLambdaContext('yardstick-aggregate'));
    const result = {
      outcomes: new Map(),
      failures: new Map(),
      refused: new Map(),
      storedFingerprints: new Map(),
    };
    await runPool([...events], 16, async (accepted) => {
      const key = `${accepted.event.detail.workflowId}/${accepted.event.detail.eventId}`;
      this.byKey.set(key, accepted);
      try {
        await this.countOnce(key);
        result.outcomes.set(
          accepted.ref,
          this.counted.delete(key) ? IngestOutcome.counted : IngestOutcome.duplicate,
        );
      } catch (error) {
        result.failures.set(accepted.ref, error as Error);
      }
    });
    return result;
  }
}

export const runNaiveDesign = async (admin: DynamoDBClient, options: RunOptions): Promise<DesignRun> => {
  const { tableName } = await freshTable(admin, 'naive');
  const client = await ownClient(admin);
  const recording = attachRequestLedger(client, admin);
  const store = new NaiveStore({ client, tableName, ttlSeconds: LATENESS_MS / 1000 + 7 * 86_400 });
  await sendAll(
    options.resend ? options.incoming : warmUp(options.incoming),
    options.batchSize,
    store,
    options.nowMs,
  );
  recording.reset();
  const started = performance.now();
  await sendAll(options.incoming, options.batchSize, store, options.nowMs);
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  await dropTable(admin, tableName);
  return { events: options.incoming.length, seconds, recording };
};

/** The floor: one 1-KB item per event, written with no condition and nothing counted (BatchWriteItem). */
export const runFloor = async (admin: DynamoDBClient, options: RunOptions): Promise<DesignRun> => {
  const { tableName } = await freshTable(admin, 'floor');
  const client = await ownClient(admin);
  const recording = attachRequestLedger(client, admin);
  const started = performance.now();
  const items = options.incoming.map((_, i) => ({
    pk: { S: `FLOOR#${i % 16}` },
    sk: { S: `e${i}` },
    body: { S: 'x'.repeat(1000) },
  }));
  for (let i = 0; i < items.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  await dropTable(admin, tableName);
  return { events: items.length, seconds, recording };
};
