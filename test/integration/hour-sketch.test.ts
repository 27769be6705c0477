import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemSizeBytes } from '../../bench/item-size.ts';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices, userToken } from '../../shared/metrics/counters.ts';
import { DistinctSketch, SKETCH_EXACT_LIMIT } from '../../shared/metrics/distinct-sketch.ts';
import { REPLAY_DYNAMODB_ACTIONS } from '../../shared/replay/replay-permissions.ts';
import { replayWorkflow } from '../../shared/replay/replay-workflow.ts';
import { CounterApplier, type StreamedEvent } from '../../shared/store/dynamodb/counter-applier.ts';
import {
  SKETCH,
  SKETCH_TOKENS,
  SKETCH_VERSION,
  sketchAttribute,
} from '../../shared/store/dynamodb/counter-codec.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { Keys, RECORDED_PREFIX } from '../../shared/store/dynamodb/keys.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';
import { startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';

type Item = Record<string, AttributeValue>;
const HOUR = '2026-11-20T12';
const AT = '2026-11-20T12:30:00Z';

const accepted = (event: WorkflowEvent): AcceptedEvent => ({
  ref: event.detail.eventId,
  event,
  fingerprint: eventFingerprint(event),
  delta: deltaFromEvent(event, noPrices),
});

const outcome = (workflowId: string, eventId: string, userId: string): AcceptedEvent =>
  accepted({
    kind: 'ai.workflow.outcome',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId,
      occurredAt: AT,
      status: 'succeeded',
      valueUsd: 0.25,
      userId,
    },
  });

const usage = (workflowId: string, eventId: string, userId: string): AcceptedEvent =>
  accepted({
    kind: 'ai.workflow.usage',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId,
      occurredAt: AT,
      model: 'gpt-4o-mini',
      inputTokens: 1200,
      outputTokens: 300,
      costUsd: 0.0021,
      latencyMs: 850,
      userId,
    },
  });

/** Stream records of one write shard, numbered from `from`, as the table's stream would deliver them. */
const streamed = (shard: number, from: number, events: readonly AcceptedEvent[]): StreamedEvent[] =>
  events.map((event, i) => ({
    sequenceNumber: String(from + i),
    recordedPk: `${RECORDED_PREFIX}${event.event.detail.workflowId}#${shard}`,
    accepted: event,
  }));

/** All threads wait until `parties` calls arrived, then every later call passes at once. */
const barrier = (parties: number) => {
  let arrived = 0;
  let release = () => {};
  const open = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    if (++arrived === parties) release();
    await open;
  };
};

describe('the hour’s distinct-users sketch in its counter item', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let reader: DynamoDbMetricsStore;
  const applier = () =>
    new CounterApplier({ client: table.clientOf('counters'), tableName: table.tableName });
  const partition = async (workflowId: string): Promise<Item[]> =>
    (
      await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: Keys.counters(workflowId) } },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const hourItem = async (workflowId: string): Promise<Item | undefined> =>
    (
      await table.client.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: Keys.counters(workflowId) }, sk: { S: Keys.bucket('hour', HOUR) } },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const hourCounters = async (workflowId: string) => {
    const [hour] = await reader.readBuckets(workflowId, 'hour', HOUR, '2026-11-20T13');
    return hour?.counters;
  };

  beforeAll(async () => {
    table = await createTestTable();
    reader = new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName });
  });
  afterAll(async () => {
    await table.drop();
  });

  it('counts the hour’s users exactly in the hour’s counter item and writes no UH# item', async () => {
    // Prepare: 40 events of 25 users, in two batches.
    const events = Array.from({ length: 40 }, (_, i) => outcome('wf-exact', `e${i}`, `u-${i % 25}`));
    const counters = applier();

    // Act
    await counters.apply(streamed(0, 1, events.slice(0, 25)));
    await counters.apply(streamed(0, 26, events.slice(25)));

    // Assess
    const hour = await hourCounters('wf-exact');
    expect(hour?.values.succeeded).toBe(40n);
    expect(hour?.users.isExact).toBe(true);
    expect(hour?.users.estimate).toBe(25);
    const sortKeys = (await partition('wf-exact')).map((item) => item.sk?.S ?? '');
    expect(sortKeys.filter((sk) => sk.startsWith('UH#'))).toEqual([]);
    expect(sortKeys).toContain(Keys.sketch('day', '2026-11-20'));
    // The second batch brought returning users only: the sketch was written once.
    expect((await hourItem('wf-exact'))?.[SKETCH_VERSION]).toEqual({ N: '1' });
  });

  it('leaves the hour’s counters, users and sketch version as they were when a batch is redelivered', async () => {
    // Prepare
    const batch = streamed(
      0,
      1,
      Array.from({ length: 12 }, (_, i) => outcome('wf-again', `r${i}`, `u-${i % 9}`)),
    );
    await applier().apply(batch);
    const before = await hourItem('wf-again');

    // Act: once to the same function (warm cache), once to a fresh one (cold cache), once overlapping.
    const warm = applier();
    await warm.apply(batch);
    await warm.apply(batch);
    const cold = applier();
    await cold.apply(batch);
    await cold.apply([...batch, ...streamed(0, 13, [outcome('wf-again', 'r12', 'u-new')])]);

    // Assess
    const after = await hourItem('wf-again');
    expect(before?.[SKETCH_VERSION]).toEqual({ N: '1' });
    expect(after?.[SKETCH_VERSION]).toEqual({ N: '2' });
    const hour = await hourCounters('wf-again');
    expect(hour?.values.succeeded).toBe(13n);
    expect(hour?.users.estimate).toBe(10);
    expect(cold.stats.resumed).toBeGreaterThanOrEqual(2);
  });

  it('unions the users of write shards whose counters invocations race on the hour’s item', async () => {
    // Prepare: 4 write shards of a hot workflow, each with 20 users of its own and 10 shared ones;
    // each shard's counters invocation starts its updates only when all are ready, as if at once.
    const shards = 4;
    const appliers = Array.from({ length: shards }, () => applier());
    // Each batch updates 3 items (hour, day, fleet week): 4 × 3 updates meet at the barrier.
    const ready = barrier(shards * 3);
    const racing = Array.from(
      { length: shards },
      () =>
        new CounterApplier({
          client: table.clientOf('counters'),
          tableName: table.tableName,
          beforeUpdate: ready,
        }),
    );
    const batchOf = (shard: number, round: number) =>
      streamed(
        shard,
        1 + round * 100,
        Array.from({ length: 15 }, (_, i) =>
          outcome(
            'wf-hot',
            `s${shard}-r${round}-${i}`,
            i % 3 === 0 ? `shared-${i % 10}` : `own-${shard}-${(round * 15 + i) % 20}`,
          ),
        ),
      );
    const distinct = new Set(
      Array.from({ length: shards }, (_, shard) => [...batchOf(shard, 0), ...batchOf(shard, 1)])
        .flat()
        .map((event) => event.accepted.event.detail.userId),
    );

    // Act: a first round that races at the barrier, then a second, each shard on its own function.
    await Promise.all(racing.map((counters, shard) => counters.apply(batchOf(shard, 0))));
    await Promise.all(appliers.map((counters, shard) => counters.apply(batchOf(shard, 1))));

    // Assess: every event counted once, every user once, and the races were lost and merged again.
    const hour = await hourCounters('wf-hot');
    expect(hour?.values.succeeded).toBe(BigInt(shards * 2 * 15));
    const expected = DistinctSketch.ofTokens([...distinct].map((userId) => userToken(userId ?? '')));
    expect(distinct.size).toBeLessThanOrEqual(SKETCH_EXACT_LIMIT);
    expect(hour?.users.estimate).toBe(distinct.size);
    expect([...(hour?.users.tokens ?? [])].sort()).toEqual([...(expected.tokens ?? [])].sort());
    const attempts = racing.reduce((sum, counters) => sum + counters.stats.updates, 0);
    expect(attempts).toBeGreaterThan(shards * 3);
  });

  it('merges one batch’s write shards of an hour one after the other, with no update refused', async () => {
    // Prepare: one stream batch holding 4 write shards' records of one hour.
    const counters = applier();
    const batch = [0, 1, 2, 3].flatMap((shard) =>
      streamed(
        shard,
        1,
        Array.from({ length: 5 }, (_, i) => outcome('wf-lanes', `l${shard}-${i}`, `u-${shard}-${i}`)),
      ),
    );

    // Act
    await counters.apply(batch);

    // Assess: one update per item and write shard (hour, day, fleet week), none retried.
    expect(counters.stats.updates).toBe(4 * 3);
    expect((await hourCounters('wf-lanes'))?.users.estimate).toBe(20);
    expect((await hourItem('wf-lanes'))?.[SKETCH_VERSION]).toEqual({ N: '4' });
  });

  it('turns the hour’s sketch dense past the exact limit and drops the hashes in the same write', async () => {
    // Prepare
    const counters = applier();
    const users = SKETCH_EXACT_LIMIT + 24;
    const events = Array.from({ length: users }, (_, i) => outcome('wf-dense', `d${i}`, `u-${i}`));

    // Act
    await counters.apply(streamed(0, 1, events.slice(0, 60)));
    const exact = await hourItem('wf-dense');
    await counters.apply(streamed(0, 61, events.slice(60)));

    // Assess
    const dense = await hourItem('wf-dense');
    expect(exact?.[SKETCH_TOKENS]?.B).toHaveLength(60 * 8);
    expect(dense?.[SKETCH_TOKENS]).toBeUndefined();
    expect(dense?.[SKETCH]?.B).toHaveLength(768);
    const all = DistinctSketch.ofTokens(events.map((_, i) => userToken(`u-${i}`)));
    expect((await hourCounters('wf-dense'))?.users.registers).toEqual(all.registers);
  });

  it('keeps an hour item of outcomes within one write unit up to the exact limit of users', async () => {
    // Prepare: every user once, a sketch at its largest exact size.
    const events = Array.from({ length: SKETCH_EXACT_LIMIT }, (_, i) =>
      outcome('wf-size', `z${i}`, `u-${i}`),
    );

    // Act
    await applier().apply(streamed(0, 1, events));

    // Assess: DynamoDB's item size (names plus values) within 1 KB: one write unit per update.
    const item = (await hourItem('wf-size')) ?? {};
    expect(item[SKETCH_TOKENS]?.B).toHaveLength(SKETCH_EXACT_LIMIT * 8);
    expect(itemSizeBytes(item)).toBeLessThanOrEqual(1024);
  });

  it('keeps an hour item of mixed usage and outcomes within one write unit with 40 users', async () => {
    // Prepare: usage (tokens, cost, latency) and outcomes, as most workflows report them.
    const events = Array.from({ length: 40 }, (_, i) => [
      usage('wf-mixed', `mu${i}`, `u-${i}`),
      outcome('wf-mixed', `mo${i}`, `u-${i}`),
    ]).flat();

    // Act
    await applier().apply(streamed(0, 1, events));

    // Assess
    const item = (await hourItem('wf-mixed')) ?? {};
    expect((await hourCounters('wf-mixed'))?.users.estimate).toBe(40);
    expect(itemSizeBytes(item)).toBeLessThanOrEqual(1024);
  });

  it('still counts the users of a UH# item left from before, merged with the counter item’s', async () => {
    // Prepare: 3 users in a sketch item of the hour, as counting wrote them before; then 4 events of 2
    // of those users and 2 new ones counted into the hour's counter item.
    const legacy = new DistinctSketch();
    for (const user of ['u-a', 'u-b', 'u-c']) legacy.add(userToken(user));
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          pk: { S: Keys.counters('wf-legacy') },
          sk: { S: Keys.legacyHourSketch(HOUR) },
          ...sketchAttribute(legacy),
          version: { N: '1' },
        },
      }),
    );
    const events = ['u-a', 'u-b', 'u-d', 'u-e'].map((user, i) => outcome('wf-legacy', `l${i}`, user));

    // Act
    await applier().apply(streamed(0, 1, events));

    // Assess: five distinct users in the hour, none lost and none counted twice.
    expect((await hourCounters('wf-legacy'))?.users.estimate).toBe(5);
  });

  it('rebuilds the hour’s sketch in its counter item on replay and removes a UH# item left from before', async () => {
    // Prepare: 12 events of 8 users recorded and counted through the stream; then the hour item's
    // sketch damaged and a sketch item of the hour written as counting did before.
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
      markerTtlDays: null,
    });
    await store.ingest(Array.from({ length: 12 }, (_, i) => outcome('wf-replay', `p${i}`, `u-${i % 8}`)));
    const counting = startCounting(table);
    await counting.settle();
    await counting.stop();
    const pk = { S: Keys.counters('wf-replay') };
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: { pk, sk: { S: Keys.bucket('hour', HOUR) } },
        UpdateExpression: 'SET #t = :one',
        ExpressionAttributeNames: { '#t': SKETCH_TOKENS },
        ExpressionAttributeValues: { ':one': { B: Buffer.from(userToken('u-0'), 'hex') } },
      }),
    );
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { pk, sk: { S: `UH#${HOUR}` }, [SKETCH_TOKENS]: { B: Buffer.alloc(8) }, version: { N: '1' } },
      }),
    );
    const replay = () =>
      replayWorkflow({
        client: table.clientOf('counters', { dynamodb: REPLAY_DYNAMODB_ACTIONS, ses: [], events: [] }),
        tableName: table.tableName,
        workflowId: 'wf-replay',
        price: noPrices,
        source: 'stored',
        fromMs: Date.parse('2026-11-20T00:00:00Z'),
        nowMs: Date.now(),
      });

    // Act
    const report = await replay();
    const again = await replay();

    // Assess
    expect((await hourCounters('wf-replay'))?.users.estimate).toBe(8);
    expect((await hourItem('wf-replay'))?.[SKETCH_VERSION]).toEqual({ N: '2' });
    expect((await partition('wf-replay')).filter((item) => item.sk?.S?.startsWith('UH#'))).toEqual([]);
    expect(report).toMatchObject({ countersRewritten: 1, sketchesRemoved: 1 });
    expect(again).toMatchObject({ countersRewritten: 0, sketchesRewritten: 0, sketchesRemoved: 0 });
  });
});
