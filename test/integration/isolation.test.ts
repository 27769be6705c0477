import { PutItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { catalogGovernance } from '../../shared/ingest/admission.ts';
import { OTHER_REASON_CODE } from '../../shared/limits.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { Keys } from '../../shared/store/dynamodb/keys.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, dayKey, floorTo } from '../../shared/time.ts';
import { type Counting, settledFirst, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { recentHour, sqsEventOf } from '../support/local-mode.ts';

const logger = createLogger('test-aggregate');
const context = localLambdaContext('test-aggregate');
const open = parseCatalog({ version: 1 }, 'test catalog');

const outcome = (
  workflowId: string,
  eventId: string,
  occurredMs: number,
  extra: Record<string, unknown> = {},
) => ({
  messageId: `${workflowId}-${eventId}`,
  detailType: 'ai.workflow.outcome',
  detail: {
    schemaVersion: 1,
    eventId,
    workflowId,
    occurredAt: new Date(occurredMs).toISOString(),
    status: 'succeeded',
    ...extra,
  },
});

const override = (workflowId: string, eventId: string, reasonCode: string, occurredMs: number) => ({
  messageId: `${workflowId}-${eventId}`,
  detailType: 'ai.workflow.override',
  detail: {
    schemaVersion: 1,
    eventId,
    workflowId,
    occurredAt: new Date(occurredMs).toISOString(),
    decision: 'rejected',
    reasonCode,
  },
});

type PutRequests = Array<{ PutRequest: { Item: { pk: { S: string }; sk: { S: string } } } }>;

/**
 * Makes DynamoDB hand back, unprocessed, every recorded item `matches` picks (what it does for items
 * of a throttled partition, or during an outage), and write the others.
 */
const leaveUnprocessed = (
  client: ReturnType<Awaited<ReturnType<typeof createTestTable>>['clientOf']>,
  name: string,
  matches: (item: { pk: { S: string }; sk: { S: string } }) => boolean,
) =>
  client.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName !== 'BatchWriteItemCommand') return next(args);
      const input = args.input as { RequestItems: Record<string, PutRequests> };
      const [tableName, requests] = Object.entries(input.RequestItems)[0] ?? ['', []];
      const held = requests.filter((r) => matches(r.PutRequest.Item));
      const rest = requests.filter((r) => !held.includes(r));
      if (rest.length > 0) await next({ ...args, input: { RequestItems: { [tableName]: rest } } });
      const output = { $metadata: {}, UnprocessedItems: held.length > 0 ? { [tableName]: held } : {} };
      return { output, response: {} };
    },
    { step: 'initialize', name },
  );

describe('isolation: nothing one producer sends blocks another’s events', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let counting: Counting;
  beforeAll(async () => {
    table = await createTestTable();
    counting = startCounting(table);
  });
  afterAll(async () => {
    await counting.stop();
    await table.drop();
  });

  const aggregateStore = (options: Partial<ConstructorParameters<typeof DynamoDbMetricsStore>[0]> = {}) =>
    new DynamoDbMetricsStore({ client: table.clientOf('aggregate'), tableName: table.tableName, ...options });

  // Reads go through the query API's permissions, as on AWS: the aggregate function cannot Query.
  // They wait for the counters function to have applied the stream so far.
  const apiStore = () =>
    settledFirst(
      new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName }),
      counting,
    );

  const totalsOf = async (_written: DynamoDbMetricsStore, workflowId: string) => {
    await counting.settle();
    const to = floorTo(Date.now(), DAY_MS) + DAY_MS;
    const { totals } = await queryWorkflowMetrics(apiStore(), open, {
      workflowId,
      fromMs: to - 60 * DAY_MS,
      toMs: to,
      granularity: 'day',
    });
    return totals;
  };

  it('quarantines only the event whose write DynamoDB refuses, and counts its batch-mates of every workflow', async () => {
    // Prepare: history left one counter item at DynamoDB's largest number, so any ADD to it is refused.
    const hour = recentHour();
    const poisoned = Keys.counters('poisoned');
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          pk: { S: poisoned },
          sk: { S: Keys.bucket('day', dayKey(hour - 3 * DAY_MS)) },
          succeeded: { N: '9.9999999999999999999999999999999999999E+125' },
        },
      }),
    );
    const store = aggregateStore();
    const handler = createAggregateHandler({ store, price: open.price, logger });
    const batch = sqsEventOf([
      outcome('poisoned', 'bad', hour - 3 * DAY_MS),
      outcome('poisoned', 'fine-1', hour),
      outcome('poisoned', 'fine-2', hour - 60_000),
      outcome('healthy', 'h-1', hour),
      outcome('healthy', 'h-2', hour - 3 * DAY_MS),
    ]);

    // Act
    const response = await handler(batch, context);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await totalsOf(store, 'healthy')).succeeded).toBe(2);
    const quarantined = (await apiStore().listQuarantine(dayKey(Date.now()), { limit: 100 })).entries;
    const refused = quarantined.filter((entry) => entry.rejection.code === 'store_rejected');
    expect(refused.map((entry) => entry.eventId)).toEqual(['bad']);
    expect(refused[0]?.rejection.message).toMatch(/38 digits/);
    const today = await queryWorkflowMetrics(apiStore(), open, {
      workflowId: 'poisoned',
      fromMs: floorTo(hour, DAY_MS),
      toMs: floorTo(hour, DAY_MS) + DAY_MS,
      granularity: 'day',
    });
    expect(today.totals.succeeded).toBe(2);
  });

  it('retries only the throttled events, and quarantines nothing, when the failure is not about the data', async () => {
    // Prepare: one workflow's partition is throttled: DynamoDB hands its items back unprocessed, every time.
    const client = table.clientOf('aggregate');
    leaveUnprocessed(client, 'throttleOneWorkflow', (item) => item.pk.S.startsWith('RAW#throttled#'));
    const store = new DynamoDbMetricsStore({ client, tableName: table.tableName, maxAttempts: 3 });
    const handler = createAggregateHandler({ store, price: open.price, logger });

    // Act
    const response = await handler(
      sqsEventOf([outcome('throttled', 't-1', recentHour()), outcome('unthrottled', 'u-1', recentHour())]),
      context,
    );

    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['throttled-t-1']);
    expect((await totalsOf(store, 'unthrottled')).runs).toBe(1);
    expect((await totalsOf(store, 'throttled')).runs).toBe(0);
    const quarantined = (await apiStore().listQuarantine(dayKey(Date.now()), { limit: 100 })).entries;
    expect(quarantined.filter((entry) => entry.workflowId === 'throttled')).toEqual([]);
  });

  it('keeps 50 reason codes by name and counts every further code exactly under (other)', async () => {
    // Prepare: 300 distinct reason codes in one workflow-hour, in batches as SQS would deliver them.
    const store = aggregateStore();
    const handler = createAggregateHandler({ store, price: open.price, logger });
    const hour = recentHour();
    const events = Array.from({ length: 300 }, (_, i) => override('noisy', `r${i}`, `code-${i}`, hour + i));

    // Act
    for (let i = 0; i < events.length; i += 100) {
      const response = await handler(sqsEventOf(events.slice(i, i + 100)), context);
      expect(response.batchItemFailures).toEqual([]);
    }

    // Assess
    const totals = await totalsOf(store, 'noisy');
    expect(totals.rejected).toBe(300);
    const reasons = new Map(totals.topOverrideReasons.map((r) => [r.reasonCode, r.count]));
    expect(reasons.size).toBe(51);
    expect(reasons.get(OTHER_REASON_CODE)).toBe(250);
    expect([...reasons.values()].reduce((a, b) => a + b, 0)).toBe(300);
    const overrides = await apiStore().listOverrides(
      'noisy',
      new Date(hour).toISOString(),
      new Date(hour + DAY_MS).toISOString(),
      1000,
    );
    expect(new Set(overrides.map((o) => o.reasonCode)).size).toBe(300); // the audit trail keeps every code
  });

  it('admits new workflow ids up to the daily cap and quarantines the rest as workflow_limit, never catalogued ones', async () => {
    // Prepare
    const catalog = parseCatalog(
      {
        version: 1,
        workflows: [{ id: 'cap-catalogued', name: 'Catalogued', ownerTeam: 'ops', stage: 'pilot' }],
      },
      'test catalog',
    );
    // A table of its own: the day's cap counts every new workflow the table has admitted today.
    const own = await createTestTable();
    const ownCounting = startCounting(own);
    const store = new DynamoDbMetricsStore({ client: own.clientOf('aggregate'), tableName: own.tableName });
    const reader = settledFirst(
      new DynamoDbMetricsStore({ client: own.clientOf('api'), tableName: own.tableName }),
      ownCounting,
    );
    const handler = createAggregateHandler({
      store,
      price: catalog.price,
      logger,
      governance: catalogGovernance(catalog, 3),
    });
    const hour = recentHour();
    const ids = ['cap-a', 'cap-b', 'cap-c', 'cap-d', 'cap-e'];

    // Act
    const first = await handler(sqsEventOf(ids.map((id) => outcome(id, 'e1', hour))), context);
    const second = await handler(
      sqsEventOf([...ids.map((id) => outcome(id, 'e2', hour)), outcome('cap-catalogued', 'e1', hour)]),
      context,
    );

    // Assess
    expect([...first.batchItemFailures, ...second.batchItemFailures]).toEqual([]);
    const to = floorTo(Date.now(), DAY_MS) + DAY_MS;
    const runsOf = async (workflowId: string) =>
      (
        await queryWorkflowMetrics(reader, catalog, {
          workflowId,
          fromMs: to - DAY_MS * 2,
          toMs: to,
          granularity: 'day',
        })
      ).totals.runs;
    const counted = await Promise.all([...ids, 'cap-catalogued'].map(runsOf));
    expect(counted).toEqual([2, 2, 2, 0, 0, 1]);
    const limited = (await reader.listQuarantine(dayKey(Date.now()), { limit: 500 })).entries.filter(
      (entry) => entry.rejection.code === 'workflow_limit',
    );
    await ownCounting.stop();
    await own.drop();
    expect(limited.map((entry) => `${entry.workflowId}:${entry.eventId}`).sort()).toEqual([
      'cap-d:e1',
      'cap-d:e2',
      'cap-e:e1',
      'cap-e:e2',
    ]);
    expect(limited[0]?.rejection.message).toMatch(/cap of 3 new workflow ids/);
  });

  it('quarantines events from a source the catalog does not allow for the workflow', async () => {
    // Prepare
    const catalog = parseCatalog(
      {
        version: 1,
        workflows: [
          { id: 'governed', name: 'Governed', ownerTeam: 'ops', stage: 'production', sources: ['acme.bot'] },
        ],
      },
      'test catalog',
    );
    const store = aggregateStore();
    const handler = createAggregateHandler({
      store,
      price: catalog.price,
      logger,
      governance: catalogGovernance(catalog),
    });
    const event = sqsEventOf([
      outcome('governed', 'ok', recentHour()),
      outcome('governed', 'spoofed', recentHour()),
    ]);
    const records = event.Records.map((record, i) => ({
      ...record,
      body: JSON.stringify({ ...JSON.parse(record.body), source: i === 0 ? 'acme.bot' : 'intruder.app' }),
    }));

    // Act
    const response = await handler({ Records: records }, context);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await totalsOf(store, 'governed')).runs).toBe(1);
    const entry = (await apiStore().listQuarantine(dayKey(Date.now()), { limit: 500 })).entries.find(
      (e) => e.eventId === 'spoofed',
    );
    expect(entry?.rejection.code).toBe('source_not_allowed');
    expect(entry?.rejection.message).toContain('intruder.app');
  });

  it('adds the users of counted events only: not of a conflicting copy, nor of an event whose write failed', async () => {
    // Prepare: the recording of one event of the third batch fails for good (left unprocessed past every retry).
    const hour = recentHour();
    const client = table.clientOf('aggregate');
    let failCounting = false;
    leaveUnprocessed(client, 'failCounting', (item) => failCounting && item.sk.S === 'u9');
    const store = new DynamoDbMetricsStore({ client, tableName: table.tableName, maxAttempts: 2 });
    const handler = createAggregateHandler({ store, price: open.price, logger });
    await handler(sqsEventOf([outcome('users', 'u1', hour, { userId: 'user-1' })]), context);

    // Act: a conflicting copy of u1 with another user, then an event that never gets counted.
    await handler(
      sqsEventOf([outcome('users', 'u1', hour, { userId: 'user-2', status: 'failed' })]),
      context,
    );
    failCounting = true;
    const failed = await handler(
      sqsEventOf([outcome('users', 'u9', hour, { userId: 'user-9' }), outcome('bystander', 'b1', hour)]),
      context,
    );
    failCounting = false;

    // Assess: only the event whose write failed is redelivered; its batch-mate counted.
    expect(failed.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['users-u9']);
    const totals = await totalsOf(store, 'users');
    expect(totals.runs).toBe(1);
    expect(totals.activeUsers).toBe(1);
    expect((await totalsOf(store, 'bystander')).runs).toBe(1);
  });

  it('judges lateness when the event reached the bus, so a redrive after an outage still counts', async () => {
    // Prepare: occurred 40 days ago, reached the bus 30 days ago (10 days late), redriven now.
    const nowMs = Date.now();
    const occurredMs = nowMs - 40 * DAY_MS;
    const store = aggregateStore();
    const handler = createAggregateHandler({ store, price: open.price, logger, now: () => nowMs });
    const onTime = sqsEventOf([outcome('redriven', 'late-arrival', occurredMs)]);
    const arrivals = [nowMs - 30 * DAY_MS, nowMs - 2 * DAY_MS];
    const records = [
      {
        ...onTime.Records[0],
        body: JSON.stringify({
          ...JSON.parse(onTime.Records[0]?.body ?? '{}'),
          time: new Date(arrivals[0] as number).toISOString(),
        }),
      },
      {
        ...onTime.Records[0],
        messageId: 'too-late',
        body: JSON.stringify({
          ...JSON.parse(onTime.Records[0]?.body ?? '{}'),
          time: new Date(arrivals[1] as number).toISOString(),
          detail: outcome('redriven', 'too-late', occurredMs).detail,
        }),
      },
    ] as typeof onTime.Records;

    // Act
    const response = await handler({ Records: records }, context);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await totalsOf(store, 'redriven')).runs).toBe(1);
    const entry = (await apiStore().listQuarantine(dayKey(nowMs), { limit: 500 })).entries.find(
      (e) => e.eventId === 'too-late',
    );
    expect(entry?.rejection.code).toBe('too_late');
    expect(entry?.rejection.message).toMatch(/reached the bus/);
  });

  it('keeps a contended registry from failing the batch: the admission transaction is retried', async () => {
    // Prepare: the first registry transaction is cancelled by a concurrent writer.
    const client = table.clientOf('aggregate');
    let conflicts = 0;
    client.middlewareStack.add(
      (next, ctx) => async (args) => {
        const input = JSON.stringify(args.input);
        if (
          ctx.commandName === 'TransactWriteItemsCommand' &&
          input.includes('WORKFLOWS_NEW') &&
          conflicts === 0
        ) {
          conflicts++;
          throw new TransactionCanceledException({
            $metadata: {},
            message: 'Transaction cancelled',
            CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'contendRegistry' },
    );
    const store = new DynamoDbMetricsStore({ client, tableName: table.tableName });
    const handler = createAggregateHandler({ store, price: open.price, logger });

    // Act
    const response = await handler(sqsEventOf([outcome('contended-registry', 'c1', recentHour())]), context);

    // Assess
    expect(conflicts).toBe(1);
    expect(response.batchItemFailures).toEqual([]);
    expect((await totalsOf(store, 'contended-registry')).runs).toBe(1);
  });
});
