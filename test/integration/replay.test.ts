import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { isDeepStrictEqual, promisify } from 'node:util';
import { type AttributeValue, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markerTtlDays } from '../../events/event-time.ts';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { catchUpCounting, replayCommand } from '../../infra/local/replay-command.ts';
import { type LoadedCatalog, parseCatalog } from '../../shared/catalog/load.ts';
import { catalogWriteShards } from '../../shared/ingest/admission.ts';
import {
  type Counters,
  deltaFromEvent,
  emptyCounters,
  mergeCounters,
} from '../../shared/metrics/counters.ts';
import { DistinctSketch } from '../../shared/metrics/distinct-sketch.ts';
import { ReplayRefusedError } from '../../shared/replay/replay-errors.ts';
import { isCounterAttribute, storedUsers } from '../../shared/replay/replay-items.ts';
import { REPLAY_DYNAMODB_ACTIONS } from '../../shared/replay/replay-permissions.ts';
import { coveredFromMs } from '../../shared/replay/replay-window.ts';
import { type ReplayOptions, replayWorkflow } from '../../shared/replay/replay-workflow.ts';
import { counterAttributes } from '../../shared/store/dynamodb/counter-codec.ts';
import { type CounterItemKey, counterItemsOf } from '../../shared/store/dynamodb/counter-items.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { Keys } from '../../shared/store/dynamodb/keys.ts';
import { acceptedFromRecordedItem } from '../../shared/store/dynamodb/recorded-event-codec.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, dayKey, hourKey } from '../../shared/time.ts';
import { type Counting, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { recentHour, sqsEventOf } from '../support/local-mode.ts';

type Item = Record<string, AttributeValue>;
type TestTable = Awaited<ReturnType<typeof createTestTable>>;

const MODEL = 'replay-test-model';
const catalogPricing = (inputPerMillionUsd: number, outputPerMillionUsd: number, asOf: string) =>
  parseCatalog(
    {
      version: 1,
      workflows: ['wf-a', 'wf-b', 'wf-fresh', 'wf-late', 'wf-late-fresh', 'wf-window'].map((id) => ({
        id,
        name: id,
        ownerTeam: 'ops',
        stage: 'production',
        writeShards: 2,
      })),
      prices: [{ model: MODEL, inputPerMillionUsd, outputPerMillionUsd, asOf }],
    },
    'test catalog',
  );
const oldPrices = catalogPricing(1, 2, '2026-11-01');
const newPrices = catalogPricing(3, 7.5, '2026-12-01');
const logger = createLogger('test-aggregate');

/** Usage (priced and reported), outcomes with value, overrides with reasons, users and a variant, over a day. */
const eventsOf = (workflowId: string, count: number, offset = 0) =>
  Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const common = {
      schemaVersion: 1,
      eventId: `e${i}`,
      workflowId,
      occurredAt: new Date(recentHour() - i * 47 * 60_000).toISOString(),
      userId: `user-${i % 7}`,
      ...(i % 5 === 0 ? { variant: 'b' } : {}),
    };
    const kind = i % 3;
    if (kind === 0)
      return {
        messageId: `${workflowId}-${i}`,
        detailType: 'ai.workflow.usage',
        detail: {
          ...common,
          model: MODEL,
          inputTokens: 1000 + i,
          outputTokens: 200 + i,
          latencyMs: 300 + i,
          ...(i % 4 === 0 ? { costUsd: 0.01 } : {}),
        },
      };
    if (kind === 1)
      return {
        messageId: `${workflowId}-${i}`,
        detailType: 'ai.workflow.outcome',
        detail: { ...common, status: i % 2 ? 'succeeded' : 'failed', valueUsd: 1.25, durationMs: 1000 + i },
      };
    return {
      messageId: `${workflowId}-${i}`,
      detailType: 'ai.workflow.override',
      detail: { ...common, decision: 'edited', reasonCode: `r${i % 3}`, reviewMs: 5000 },
    };
  });

const record = async (table: TestTable, catalog: LoadedCatalog, events: ReturnType<typeof eventsOf>) => {
  const store = new DynamoDbMetricsStore({
    client: table.clientOf('aggregate'),
    tableName: table.tableName,
    writeShardsOf: catalogWriteShards(catalog),
  });
  const handler = createAggregateHandler({ store, price: catalog.price, logger });
  for (let i = 0; i < events.length; i += 100)
    await handler(sqsEventOf(events.slice(i, i + 100)), localLambdaContext('test-aggregate'));
};

const partition = async (table: TestTable, pk: string): Promise<Item[]> => {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      ConsistentRead: true,
    }),
  );
  return Items;
};

/** A workflow's counters and user sketches by sort key, without the bookkeeping (positions, versions). */
const snapshot = async (table: TestTable, workflowId: string) =>
  Object.fromEntries(
    (await partition(table, Keys.counters(workflowId))).map((item) => [
      item.sk?.S,
      item.sk?.S?.startsWith('U')
        ? storedUsers(item)
        : Object.fromEntries(
            Object.entries(item)
              .filter(([name, value]) => isCounterAttribute(name) && value.N !== '0')
              .map(([name, value]) => [name, value.N])
              .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
          ),
    ]),
  );

const replay = (table: TestTable, workflowId: string, extra: Partial<ReplayOptions> = {}) => {
  const nowMs = Date.now();
  return replayWorkflow({
    // Exactly the actions docs/replay.md lists for the person running it.
    client: table.clientOf('counters', { dynamodb: REPLAY_DYNAMODB_ACTIONS, ses: [], events: [] }),
    tableName: table.tableName,
    workflowId,
    price: newPrices.price,
    fromMs: coveredFromMs(nowMs, markerTtlDays(DEFAULT_LATENESS_DAYS)),
    nowMs,
    ...extra,
  });
};

describe('yardstick replay', () => {
  let table: TestTable;
  let counting: Counting | undefined;
  beforeEach(async () => {
    table = await createTestTable();
    counting = startCounting(table);
  });
  afterEach(async () => {
    await counting?.stop();
    await table.drop();
  });

  it('re-prices counted events so that the counters equal a fresh count with the new prices', async () => {
    // Prepare: the same 30 events counted under the old prices (wf-a) and the new ones (wf-fresh).
    await record(table, oldPrices, eventsOf('wf-a', 30));
    await record(table, newPrices, eventsOf('wf-fresh', 30));
    await counting?.settle();
    const fresh = await snapshot(table, 'wf-fresh');
    const counted = await snapshot(table, 'wf-a');
    expect(counted).not.toEqual(fresh);

    // Act: a dry run first, then the replay.
    const dry = await replay(table, 'wf-a', { dryRun: true });
    const unchanged = await snapshot(table, 'wf-a');
    const report = await replay(table, 'wf-a');

    // Assess: equal item for item, users included; the changed cost is reported before → after.
    expect(await snapshot(table, 'wf-a')).toEqual(fresh);
    const priced = eventsOf('wf-a', 30).filter(
      (e) => e.detailType === 'ai.workflow.usage' && !('costUsd' in e.detail),
    );
    expect(report.eventsRead).toBe(30);
    expect(report.eventsChanged).toBe(priced.length);
    expect(report.after.costNanos).toBeGreaterThan(report.before.costNanos);
    expect(report.after.runs).toBe(report.before.runs);
    expect(report.countersRemoved).toBe(0);
    // The dry run said the same and wrote nothing.
    expect({ ...dry, dryRun: false }).toEqual(report);
    expect(unchanged).toEqual(counted);
    // The recorded events now carry the delta they are counted with.
    const [recorded] = await partition(table, 'RAW#wf-a#0');
    const [freshRecorded] = (await partition(table, 'RAW#wf-fresh#0')).filter(
      (r) => r.sk?.S === recorded?.sk?.S,
    );
    expect(recorded?.delta).toEqual(freshRecorded?.delta);
  });

  it('changes nothing when run a second time, nor when the stream is applied again afterwards', async () => {
    // Prepare
    await record(table, oldPrices, eventsOf('wf-a', 30));
    await counting?.settle();
    await replay(table, 'wf-a');
    const once = await partition(table, Keys.counters('wf-a'));

    // Act: replay again, then a counters consumer reads the whole stream from its trim horizon.
    const second = await replay(table, 'wf-a');
    const restarted = startCounting(table);
    await restarted.settle();
    await restarted.stop();

    // Assess: every item as it was, positions and versions included.
    expect(second).toMatchObject({
      eventsChanged: 0,
      countersRewritten: 0,
      countersRemoved: 0,
      sketchesRewritten: 0,
    });
    expect(second.countersUnchanged).toBeGreaterThan(0);
    expect(second.after).toEqual(second.before);
    const sorted = (items: Item[]) => [...items].sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1));
    expect(sorted(await partition(table, Keys.counters('wf-a')))).toEqual(sorted(once));
  });

  it('neither loses nor doubles events recorded just before the replay and counted after it', async () => {
    // Prepare: 24 events counted; then counting stops and 15 more are recorded but not yet counted.
    await record(table, oldPrices, eventsOf('wf-late', 24));
    await record(table, newPrices, eventsOf('wf-late-fresh', 39));
    await counting?.settle();
    await counting?.stop();
    counting = undefined;
    await record(table, oldPrices, eventsOf('wf-late', 15, 24));
    const beforeCatchUp = await snapshot(table, 'wf-late');

    // Act: the replay command's procedure (catch up with the stream, rebuild), then counting resumes.
    await catchUpCounting({
      clients: table.clientsOf('counters'),
      tableName: table.tableName,
      streamArn: table.streamArn,
    });
    const report = await replay(table, 'wf-late');
    counting = startCounting(table);
    await counting.settle();

    // Assess: all 39 events counted once, at the new prices.
    expect(beforeCatchUp).not.toEqual(await snapshot(table, 'wf-late-fresh'));
    expect(report.eventsReplayed).toBe(39);
    expect(await snapshot(table, 'wf-late')).toEqual(await snapshot(table, 'wf-late-fresh'));
  });

  it('leaves buckets before the covered window alone and removes window items no recorded event supports', async () => {
    // Prepare: counted events, an old day whose events expired, and a stray day inside the window.
    await record(table, oldPrices, eventsOf('wf-window', 12));
    await counting?.settle();
    const pk = Keys.counters('wf-window');
    const oldDay = dayKey(Date.now() - 70 * DAY_MS);
    const strayMs = Date.now() - 20 * DAY_MS;
    const put = (sk: string, extra: Item) =>
      table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: { pk: { S: pk }, sk: { S: sk }, workflowId: { S: 'wf-window' }, ...extra },
        }),
      );
    const counted = { succeeded: { N: '4' }, costReportedNanos: { N: '1234' }, seq_0: { S: '0001' } };
    await put(Keys.bucket('day', oldDay), counted);
    await put(Keys.sketch('day', oldDay), {
      userHashes: { B: Buffer.from('0123456789abcdef', 'hex') },
      version: { N: '1' },
    });
    await put(Keys.bucket('day', dayKey(strayMs)), counted);
    await put(Keys.bucket('hour', hourKey(strayMs)), counted);
    await put(Keys.sketch('day', dayKey(strayMs)), {
      userHashes: { B: Buffer.from('0123456789abcdef', 'hex') },
      version: { N: '1' },
    });
    const oldItems = (await partition(table, pk)).filter((item) => item.sk?.S?.endsWith(oldDay));

    // Act
    const report = await replay(table, 'wf-window', { source: 'stored' });

    // Assess
    const after = await partition(table, pk);
    expect(report.from).toMatch(/T00:00:00\.000Z$/);
    expect(Date.parse(report.from)).toBeGreaterThan(Date.parse(oldDay));
    expect(Date.parse(report.from)).toBeLessThan(strayMs);
    expect(after.filter((item) => item.sk?.S?.endsWith(oldDay))).toEqual(expect.arrayContaining(oldItems));
    expect(after.filter((item) => item.sk?.S?.endsWith(oldDay))).toHaveLength(2);
    expect(after.some((item) => item.sk?.S?.includes(dayKey(strayMs)))).toBe(false);
    expect(report).toMatchObject({ countersRemoved: 2, sketchesRemoved: 1, eventsChanged: 0 });
  });

  it('adjusts a rollup that other workflows share by the changed deltas only, once', async () => {
    // Prepare: two workflows counted at the old prices, and a fleet rollup per day holding both.
    await record(table, oldPrices, eventsOf('wf-a', 15));
    await record(table, oldPrices, eventsOf('wf-b', 15));
    await counting?.settle();
    const fleetOf = (accepted: AcceptedEvent): CounterItemKey => {
      const sk = Keys.bucket('day', dayKey(Date.parse(accepted.event.detail.occurredAt)));
      return { id: `FLEET|${sk}`, pk: 'FLEET', sk };
    };
    const itemsOf = (accepted: AcceptedEvent) => [...counterItemsOf(accepted), fleetOf(accepted)];
    const recorded = async (workflowId: string) =>
      (await Promise.all([0, 1].map((shard) => partition(table, `RAW#${workflowId}#${shard}`))))
        .flat()
        .map((item) => acceptedFromRecordedItem(item, ''));
    const sums = new Map<string, Counters>();
    const add = (accepted: AcceptedEvent, delta: Counters) => {
      const { sk } = fleetOf(accepted);
      sums.set(sk, mergeCounters(sums.get(sk) ?? emptyCounters(), { ...delta, users: new DistinctSketch() }));
    };
    for (const accepted of [...(await recorded('wf-a')), ...(await recorded('wf-b'))])
      add(accepted, accepted.delta);
    for (const [sk, counters] of sums)
      await table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: { pk: { S: 'FLEET' }, sk: { S: sk }, ...counterAttributes(counters) },
        }),
      );
    // Expected: wf-a re-priced (its folded reasons kept), wf-b as counted.
    sums.clear();
    for (const accepted of await recorded('wf-a'))
      add(accepted, { ...deltaFromEvent(accepted.event, newPrices.price), reasons: accepted.delta.reasons });
    for (const accepted of await recorded('wf-b')) add(accepted, accepted.delta);

    // The stack's own fleet rollup (the week items beside other workflows') is adjusted the same way:
    // one adjustment per rollup item that a re-priced event of wf-a adds to.
    const fleetRollups = new Set<string>();
    for (const accepted of await recorded('wf-a')) {
      const repriced = {
        ...deltaFromEvent(accepted.event, newPrices.price),
        reasons: accepted.delta.reasons,
      };
      if (isDeepStrictEqual(counterAttributes(repriced), counterAttributes(accepted.delta))) continue;
      for (const key of counterItemsOf(accepted))
        if (key.pk !== Keys.counters('wf-a')) fleetRollups.add(key.id);
    }

    // Act: replay wf-a twice.
    const first = await replay(table, 'wf-a', { itemsOf });
    const second = await replay(table, 'wf-a', { itemsOf });

    // Assess
    const fleet = await partition(table, 'FLEET');
    expect(fleet.length).toBe(sums.size);
    for (const item of fleet) {
      const expected = counterAttributes(sums.get(item.sk?.S ?? '') ?? emptyCounters());
      const { pk: _pk, sk: _sk, ...stored } = item;
      expect(Object.fromEntries(Object.entries(stored).filter(([, v]) => v.N !== '0'))).toEqual(expected);
    }
    expect(fleetRollups.size).toBeGreaterThan(0);
    expect(first.sharedAdjusted).toBe(sums.size + fleetRollups.size);
    expect(second.sharedAdjusted).toBe(0);
  });

  it('runs from the CLI, prints what it did, and refuses while local mode is recording', async () => {
    // Prepare: counted at the old prices; "local mode" listens on an events port.
    await record(table, oldPrices, eventsOf('wf-a', 12));
    await counting?.settle();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as { port: number }).port);
    const args = [
      'replay',
      '--workflow',
      'wf-a',
      '--endpoint',
      table.endpoint,
      '--table',
      table.tableName,
      '--json',
    ];
    const env = {
      ...process.env,
      YARDSTICK_CATALOG: JSON.stringify(newPrices.catalog),
      YARDSTICK_EVENTS_PORT: port,
    };

    // Act: in process while the port answers; then the CLI itself once it is free.
    const previousPort = process.env.YARDSTICK_EVENTS_PORT;
    process.env.YARDSTICK_EVENTS_PORT = port;
    const refused = await replayCommand(args.slice(1), {
      catalog: newPrices,
      connectLocal: () => Promise.reject(new Error('not reached')),
      usageError: (message) => new Error(message),
    }).catch((error: Error) => error);
    process.env.YARDSTICK_EVENTS_PORT = previousPort;
    await new Promise((resolve) => server.close(resolve));
    const ran = await promisify(execFile)('node', ['infra/local/yardstick.mjs', ...args], {
      env,
      encoding: 'utf8',
    });

    // Assess
    expect(refused).toBeInstanceOf(ReplayRefusedError);
    expect((refused as Error).message).toContain('local mode is running');
    const [report] = JSON.parse(ran.stdout) as Array<{
      before: { costNanos: string };
      after: { costNanos: string };
    }>;
    expect(report).toMatchObject({ workflowId: 'wf-a', eventsRead: 12, source: 'reprice', dryRun: false });
    expect(BigInt(report?.after.costNanos ?? 0)).toBeGreaterThan(BigInt(report?.before.costNanos ?? 0));
  }, 90_000);
});
