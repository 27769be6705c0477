import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices, userToken } from '../../shared/metrics/counters.ts';
import { DistinctSketch, SKETCH_RELATIVE_ERROR } from '../../shared/metrics/distinct-sketch.ts';
import { CounterApplier, type StreamedEvent } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { recordedItem } from '../../shared/store/dynamodb/recorded-event-codec.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';
import { type Counting, settledFirst, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';

const outcome = (
  eventId: string,
  occurredAt: string,
  valueUsd?: number,
  extra: { workflowId?: string; userId?: string } = {},
): AcceptedEvent => {
  const event: WorkflowEvent = {
    kind: 'ai.workflow.outcome',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId: 'wf-a',
      occurredAt,
      status: 'succeeded',
      valueUsd,
      ...extra,
    },
  };
  return {
    ref: eventId,
    event,
    fingerprint: eventFingerprint(event),
    delta: deltaFromEvent(event, noPrices),
  };
};

describe('DynamoDbMetricsStore', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let counting: Counting;
  // Recording runs with the aggregate function's permissions, counting with the counters function's
  // (fed by the table's stream), reading with the API's, as on AWS.
  let reader: DynamoDbMetricsStore;
  beforeAll(async () => {
    table = await createTestTable();
    counting = startCounting(table);
    reader = settledFirst(
      new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName }),
      counting,
    );
  });
  afterAll(async () => {
    await counting.stop();
    await table.drop();
  });

  it('counts each event once and reports re-sent ones as duplicates or conflicts', async () => {
    // Prepare
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const first = [outcome('e1', '2026-11-20T10:05:00Z', 1), outcome('e2', '2026-11-20T10:06:00Z', 2)];

    // Act
    const a = await store.ingest(first);
    const b = await store.ingest([
      outcome('e1', '2026-11-20T10:05:00Z', 1),
      outcome('e2', '2026-11-20T10:06:00Z', 99),
      outcome('e3', '2026-11-20T11:00:00Z', 4),
    ]);
    const buckets = await reader.readBuckets('wf-a', 'hour', '2026-11-20T00', '2026-11-21T00');
    const days = await reader.readBuckets('wf-a', 'day', '2026-11-20', '2026-11-21');

    // Assess
    expect([...a.outcomes.values()]).toEqual(['counted', 'counted']);
    expect(Object.fromEntries(b.outcomes)).toEqual({ e1: 'duplicate', e2: 'conflict', e3: 'counted' });
    expect(
      buckets.map((x) => [x.key, x.counters.values.succeeded, x.counters.values.valueReportedNanos]),
    ).toEqual([
      ['2026-11-20T10', 2n, 3_000_000_000n],
      ['2026-11-20T11', 1n, 4_000_000_000n],
    ]);
    expect(days[0]?.counters.values.succeeded).toBe(3n);
  });

  it('unions distinct users across counters functions whose cached sketches went stale', async () => {
    // Prepare: two appliers, as two concurrent containers of the counters function (one per stream
    // shard) would be; the events come from two write shards of one workflow.
    const first = new CounterApplier({ client: table.clientOf('counters'), tableName: table.tableName });
    const second = new CounterApplier({ client: table.clientOf('counters'), tableName: table.tableName });
    let sequence = 0;
    const users = (from: number, to: number, prefix: string, shard: number): StreamedEvent[] =>
      Array.from({ length: to - from }, (_, i) => ({
        sequenceNumber: String(++sequence),
        recordedPk: `RAW#wf-users#${shard}`,
        accepted: outcome(`${prefix}${from + i}`, '2026-11-20T12:00:00Z', undefined, {
          workflowId: 'wf-users',
          userId: `u-${from + i}`,
        }),
      }));

    // Act: the first applier's cached version is stale by its second batch.
    await first.apply(users(0, 30, 'a', 0));
    await second.apply(users(20, 60, 'b', 1));
    await first.apply(users(50, 80, 'c', 0));
    const [day] = await reader.readBuckets('wf-users', 'day', '2026-11-20', '2026-11-21');
    const [hour] = await reader.readBuckets('wf-users', 'hour', '2026-11-20T12', '2026-11-20T13');

    // Assess: 100 events from 80 distinct users; the stored sketch equals one built from all 80 at once
    const all = new DistinctSketch();
    for (let i = 0; i < 80; i++) all.add(userToken(`u-${i}`));
    expect(day?.counters.values.succeeded).toBe(100n);
    expect(day?.counters.users.registers).toEqual(all.registers);
    expect(hour?.counters.users.registers).toEqual(all.registers);
    expect(Math.abs((day?.counters.users.estimate ?? 0) - 80)).toBeLessThanOrEqual(
      80 * 3 * SKETCH_RELATIVE_ERROR,
    );
  });

  it('applies a redelivered or overlapping stream batch once per write shard', async () => {
    // Prepare: a batch, then a retry that overlaps it and brings new records, from two write shards.
    const applier = new CounterApplier({ client: table.clientOf('counters'), tableName: table.tableName });
    const event = (n: number, shard: number): StreamedEvent => ({
      sequenceNumber: String(1000 + n),
      recordedPk: `RAW#wf-overlap#${shard}`,
      accepted: outcome(`o${n}`, '2026-11-20T09:00:00Z', 1, { workflowId: 'wf-overlap' }),
    });
    const batch = [event(1, 0), event(2, 1), event(3, 0)];

    // Act
    await applier.apply(batch);
    await applier.apply(batch);
    await applier.apply([...batch, event(4, 1), event(5, 0)]);
    const [day] = await reader.readBuckets('wf-overlap', 'day', '2026-11-20', '2026-11-21');

    // Assess
    expect(day?.counters.values.succeeded).toBe(5n);
    expect(day?.counters.values.valueReportedNanos).toBe(5_000_000_000n);
    expect(applier.stats.resumed).toBeGreaterThanOrEqual(4);
  });

  it('puts the counted version back when a racing delivery overwrites it, counting neither twice', async () => {
    // Prepare: an event recorded and counted, then a different version written over it, as two
    // deliveries racing past the recording lookup would.
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const counted = outcome('race-1', '2026-11-20T08:00:00Z', 1, { workflowId: 'wf-race' });
    const racing = outcome('race-1', '2026-11-20T08:00:00Z', 50, { workflowId: 'wf-race' });
    await store.ingest([counted]);
    await counting.settle();

    // Act
    await table.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table.tableName]: [
            { PutRequest: { Item: recordedItem(racing, { expiresAt: undefined, writeShards: 1 }) } },
          ],
        },
      }),
    );
    await counting.settle();
    const [day] = await reader.readBuckets('wf-race', 'day', '2026-11-20', '2026-11-21');
    const conflicts = await reader.listConflicts('wf-race', 10);
    const again = await store.ingest([{ ...counted, ref: 'again' }]);

    // Assess: counted once at its first value; the conflict recorded; the counted version stored again.
    expect(day?.counters.values.succeeded).toBe(1n);
    expect(day?.counters.values.valueReportedNanos).toBe(1_000_000_000n);
    expect(conflicts.map((c) => [c.firstFingerprint, c.conflictingFingerprint])).toEqual([
      [counted.fingerprint, racing.fingerprint],
    ]);
    expect(again.outcomes.get('again')).toBe('duplicate');
  });
});
