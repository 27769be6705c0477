import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, floorTo } from '../../shared/time.ts';
import { type Counting, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { recentHour, sqsEventOf } from '../support/local-mode.ts';

const catalog = parseCatalog({ version: 1 }, 'test catalog');
const logger = createLogger('test-aggregate');
const context = localLambdaContext('test-aggregate');

const outcomes = (workflowId: string, count: number, base: number, prefix = 'o') =>
  Array.from({ length: count }, (_, i) => ({
    messageId: `${workflowId}-${prefix}${i}`,
    detailType: 'ai.workflow.outcome',
    detail: {
      schemaVersion: 1,
      eventId: `${prefix}${i}`,
      workflowId,
      // Spread over several hours so that groups carry several counter items.
      occurredAt: new Date(base - (i % 3) * 3_600_000 + i * 1000).toISOString(),
      status: 'succeeded',
      valueUsd: 0.01,
    },
  }));

describe('exactly-once aggregation', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let counting: Counting;
  // The handlers count with the aggregate function's permissions; results are read as the API reads them.
  let reader: DynamoDbMetricsStore;
  beforeAll(async () => {
    table = await createTestTable();
    counting = startCounting(table);
    reader = new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName });
  });
  afterAll(async () => {
    await counting.stop();
    await table.drop();
  });

  /** The totals once the stream has been applied: counting follows recording by the stream's lag. */
  const totalsOf = async (workflowId: string) => {
    await counting.settle();
    const to = floorTo(Date.now(), DAY_MS) + DAY_MS;
    const response = await queryWorkflowMetrics(reader, catalog, {
      workflowId,
      fromMs: to - 3 * DAY_MS,
      toMs: to,
      granularity: 'day',
    });
    return response.totals;
  };

  it('counts a batch once when SQS delivers the same batch twice', async () => {
    // Prepare
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger });
    const event = sqsEventOf(outcomes('twice', 25, recentHour()));

    // Act
    const first = await handler(event, context);
    const second = await handler(event, context);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    const totals = await totalsOf('twice');
    expect(totals.succeeded).toBe(25);
    expect(totals.valueUsd).toBe(0.25);
    // The second delivery found every event recorded: one lookup, no write.
    expect(store.stats.recordingWrites).toBe(1);
    expect(store.stats.recordingReads).toBe(2);
  });

  it('gives exact totals when a crash between two recording writes is followed by redelivery', async () => {
    // Prepare: 30 events need two BatchWriteItem calls (25 + 5); the process dies before the second.
    let crashes = 1;
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
      concurrency: 1,
      beforeWrite: (index) => {
        if (index === 1 && crashes-- > 0) throw new Error('injected crash between writes');
      },
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger });
    const records = outcomes('crash', 30, recentHour());
    const event = sqsEventOf(records);

    // Act
    const first = await handler(event, context);
    const failedIds = new Set(first.batchItemFailures.map((f) => f.itemIdentifier));
    const afterCrash = await totalsOf('crash');
    const redelivered = await handler(sqsEventOf(records.filter((r) => failedIds.has(r.messageId))), context);
    const wholeBatchAgain = await handler(event, context);

    // Assess
    expect(failedIds.size).toBe(5);
    expect(afterCrash.succeeded).toBe(25);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(wholeBatchAgain.batchItemFailures).toEqual([]);
    expect((await totalsOf('crash')).succeeded).toBe(30);
  });

  it('retries the events DynamoDB leaves unprocessed (throttling) and counts each once', async () => {
    // Prepare: DynamoDB Local never throttles, so the first BatchWriteItem writes only its first two
    // items and hands the rest back as unprocessed, as DynamoDB does under throttling.
    const client = table.clientOf('aggregate');
    let injected = 0;
    client.middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName !== 'BatchWriteItemCommand' || injected > 0) return next(args);
        injected++;
        const input = args.input as { RequestItems: Record<string, unknown[]> };
        const [tableName, requests] = Object.entries(input.RequestItems)[0] ?? ['', []];
        await next({ ...args, input: { RequestItems: { [tableName]: requests.slice(0, 2) } } });
        return {
          output: { $metadata: {}, UnprocessedItems: { [tableName]: requests.slice(2) } },
          response: {},
        };
      },
      { step: 'initialize', name: 'injectUnprocessedItems' },
    );
    const store = new DynamoDbMetricsStore({ client, tableName: table.tableName });
    const handler = createAggregateHandler({ store, price: catalog.price, logger });

    // Act
    const response = await handler(sqsEventOf(outcomes('throttled', 5, recentHour())), context);
    client.middlewareStack.remove('injectUnprocessedItems');

    // Assess
    expect(injected).toBe(1);
    expect(store.stats.recordingWrites).toBe(2);
    expect(response.batchItemFailures).toEqual([]);
    expect((await totalsOf('throttled')).succeeded).toBe(5);
  });

  it('gives exact totals when the counters function crashes between counter updates and its batch is retried', async () => {
    // Prepare: a second counting function on the same stream crashes once after its first counter
    // update; the poller retries the batch from the same position, as Lambda does.
    await counting.stop();
    let crashed = false;
    const crashing = startCounting(table, {
      concurrency: 1,
      beforeUpdate: (index) => {
        if (index === 1 && !crashed) {
          crashed = true;
          throw new Error('injected crash between counter updates');
        }
      },
    });
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger });

    // Act
    await handler(sqsEventOf(outcomes('counter-crash', 12, recentHour())), context);
    await crashing.settle();
    await crashing.stop();
    counting = startCounting(table);

    // Assess: the retry added only what the crashed attempt had not; every item is exact, and the
    // new poller's replay of the stream from its start changed nothing counted before.
    expect(crashed).toBe(true);
    expect(crashing.poller.stats.retries).toBeGreaterThanOrEqual(1);
    expect(crashing.applier.stats.resumed).toBeGreaterThanOrEqual(1);
    const totals = await totalsOf('counter-crash');
    expect(totals.succeeded).toBe(12);
    expect(totals.valueUsd).toBe(0.12);
    expect((await totalsOf('twice')).succeeded).toBe(25);
  });

  it('quarantines each kind of invalid event with its reason while the valid events in the batch count', async () => {
    // Prepare
    const nowMs = Date.now(); // one clock for the handler and the quarantine's day, even across midnight
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
      now: () => nowMs,
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger, now: () => nowMs });
    const base = recentHour(nowMs);
    const valid = outcomes('mixed', 2, base);
    const detail = (eventId: string, extra: Record<string, unknown>) => ({
      schemaVersion: 1,
      eventId,
      workflowId: 'mixed',
      occurredAt: new Date(base).toISOString(),
      status: 'succeeded',
      ...extra,
    });
    const invalid = [
      {
        messageId: 'pii',
        detailType: 'ai.workflow.outcome',
        detail: detail('pii', { userId: 'someone@example.com' }),
      },
      {
        messageId: 'phone',
        detailType: 'ai.workflow.outcome',
        detail: detail('phone', { userId: '+44 20 7946 0958' }),
      },
      {
        messageId: 'version',
        detailType: 'ai.workflow.outcome',
        detail: detail('version', { schemaVersion: 2 }),
      },
      {
        messageId: 'status',
        detailType: 'ai.workflow.outcome',
        detail: detail('status', { status: 'done' }),
      },
      { messageId: 'nan', detailType: 'ai.workflow.outcome', detail: detail('nan', { valueUsd: -1 }) },
      {
        messageId: 'future',
        detailType: 'ai.workflow.outcome',
        detail: detail('future', { occurredAt: new Date(nowMs + 3_600_000).toISOString() }),
      },
      {
        messageId: 'late',
        detailType: 'ai.workflow.outcome',
        detail: detail('late', { occurredAt: new Date(nowMs - 40 * DAY_MS).toISOString() }),
      },
      { messageId: 'type', detailType: 'ai.workflow.unknown', detail: detail('type', {}) },
      { messageId: 'json', rawBody: '{"version":' },
      { messageId: 'envelope', rawBody: JSON.stringify({ hello: 'world' }) },
    ];

    // Act
    const response = await handler(sqsEventOf([...valid, ...invalid]), context);
    const quarantined = (
      await reader.listQuarantine(new Date(nowMs).toISOString().slice(0, 10), { limit: 100 })
    ).entries;

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await totalsOf('mixed')).succeeded).toBe(2);
    const codes = Object.fromEntries(quarantined.map((q) => [q.eventId ?? q.id, q.rejection.code]));
    expect(codes).toMatchObject({
      pii: 'pii_suspected',
      phone: 'pii_suspected',
      version: 'unsupported_schema_version',
      status: 'invalid_field',
      nan: 'invalid_field',
      future: 'occurred_in_future',
      late: 'too_late',
      type: 'unknown_detail_type',
      json: 'invalid_json',
      envelope: 'invalid_envelope',
    });
    expect(quarantined.find((q) => q.eventId === 'nan')?.rejection.field).toBe('valueUsd');
  });

  it('counts an eventId reused with different content once and records the conflict', async () => {
    // Prepare
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger });
    const [original] = outcomes('conflicted', 1, recentHour());
    if (!original) throw new Error('no event');
    const changed = { ...original, messageId: 'changed', detail: { ...original.detail, valueUsd: 99 } };

    // Act
    await handler(sqsEventOf([original]), context);
    await handler(sqsEventOf([changed]), context);
    const inOneBatch = await handler(
      sqsEventOf([
        { ...original, messageId: 'again-1' },
        { ...changed, messageId: 'again-2' },
      ]),
      context,
    );
    const conflicts = await reader.listConflicts('conflicted', 10);

    // Assess
    const totals = await totalsOf('conflicted');
    expect(totals.succeeded).toBe(1);
    expect(totals.valueUsd).toBe(0.01);
    expect(inOneBatch.batchItemFailures).toEqual([]);
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
    expect(conflicts[0]?.eventId).toBe('o0');
    // Each record names both versions: the counted one (as stored in its marker) and the refused one.
    const firsts = new Set(conflicts.map((c) => c.firstFingerprint));
    expect(firsts.size).toBe(1);
    expect([...firsts][0]).toMatch(/^[\w-]{22}$/);
    expect(conflicts.every((c) => c.conflictingFingerprint !== c.firstFingerprint)).toBe(true);
  });
});
