import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices } from '../../shared/metrics/counters.ts';
import { CounterApplier, type StreamedEvent } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbAuditLog } from '../../shared/store/dynamodb/dynamodb-audit-log.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { Keys } from '../../shared/store/dynamodb/keys.ts';
import { listOverrideTrail } from '../../shared/store/dynamodb/override-trail-query.ts';
import { overridePosition } from '../../shared/store/override-record.ts';
import type { AcceptedEvent, OverrideRecord } from '../../shared/store/port.ts';
import { HOUR_MS } from '../../shared/time.ts';
import { type Counting, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';

type Table = Awaited<ReturnType<typeof createTestTable>>;

const override = (
  workflowId: string,
  eventId: string,
  occurredAt: string,
  extra: { runId?: string; reviewerId?: string; source?: string } = {},
): AcceptedEvent => {
  const event: WorkflowEvent = {
    kind: 'ai.workflow.override',
    source: extra.source ?? 'review-ui',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId,
      occurredAt,
      decision: 'edited',
      reasonCode: 'tone',
      reviewMs: 1500,
      ...(extra.runId ? { runId: extra.runId } : {}),
      ...(extra.reviewerId ? { reviewerId: extra.reviewerId } : {}),
    },
  };
  return {
    ref: eventId,
    event,
    fingerprint: eventFingerprint(event),
    delta: deltaFromEvent(event, noPrices),
  };
};

/** `count` overrides of one workflow, `perHour` to an hour from 2026-11-23T00, evenly spread over it. */
const overridesOf = (
  workflowId: string,
  count: number,
  perHour: number,
  extra: Parameters<typeof override>[3] = {},
): StreamedEvent[] =>
  Array.from({ length: count }, (_, i) => {
    const ms = Date.parse('2026-11-23T00:00:00.000Z') + Math.floor(i / perHour) * HOUR_MS;
    const occurredAt = new Date(ms + (i % perHour) * Math.floor(HOUR_MS / perHour)).toISOString();
    const eventId = `${workflowId}-${String(i).padStart(5, '0')}`;
    return {
      sequenceNumber: String(10_000 + i),
      recordedPk: `RAW#${workflowId}#0`,
      accepted: override(workflowId, eventId, occurredAt, extra),
    };
  });

const recordOf = (streamed: StreamedEvent): OverrideRecord => {
  const { event } = streamed.accepted;
  if (event.kind !== 'ai.workflow.override') throw new Error('not an override');
  const { detail } = event;
  return {
    eventId: detail.eventId,
    occurredAt: detail.occurredAt,
    decision: detail.decision,
    source: event.source,
    ...(detail.runId ? { runId: detail.runId } : {}),
    ...(detail.reviewerId ? { reviewerId: detail.reviewerId } : {}),
    ...(detail.reasonCode ? { reasonCode: detail.reasonCode } : {}),
    ...(detail.reviewMs !== undefined ? { reviewMs: detail.reviewMs } : {}),
  };
};

const inOrder = (records: OverrideRecord[]) =>
  [...records].sort((a, b) => (overridePosition(a) < overridePosition(b) ? -1 : 1));

const trailItems = async (table: Table, workflowId: string) => {
  const page = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: Keys.overrides(workflowId) } },
    }),
  );
  return page.Items ?? [];
};

const ALL_DAY = ['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'] as const;

describe('override audit trail in chunks', () => {
  let table: Table;
  let applier: CounterApplier;
  let queries = 0;
  let audit: DynamoDbAuditLog;
  let reading: DynamoDBClient;
  beforeAll(async () => {
    table = await createTestTable();
    applier = new CounterApplier({ client: table.clientOf('counters'), tableName: table.tableName });
    reading = table.clientOf('api');
    reading.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'QueryCommand') queries++;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
    audit = new DynamoDbAuditLog({ client: reading, tableName: table.tableName });
  });
  afterAll(async () => {
    await table.drop();
  });

  it('writes a batch of one workflow-hour as one item and lists every override once, in order', async () => {
    // Prepare: sent out of order within the hour.
    const batch = overridesOf('wf-one', 60, 60).reverse();

    // Act
    await applier.apply(batch);
    const items = await trailItems(table, 'wf-one');
    const all = await audit.listOverrides('wf-one', ...ALL_DAY, 1000);
    const first = await audit.listOverrides('wf-one', ...ALL_DAY, 7);

    // Assess
    // One item, keyed by the earliest override it holds.
    expect(items.map((item) => item.sk?.S)).toEqual([overridePosition(all[0] as OverrideRecord)]);
    expect(all).toEqual(inOrder(batch.map(recordOf)));
    expect(first).toEqual(all.slice(0, 7));
  });

  it('splits overrides with the longest fields into several chunks, all listed', async () => {
    // Prepare
    const longest = {
      runId: 'r'.repeat(128),
      reviewerId: '\u00e9'.repeat(128),
      source: 's'.repeat(256),
    };
    const batch = overridesOf('wf-long', 120, 60, longest);

    // Act
    await applier.apply(batch);
    const items = await trailItems(table, 'wf-long');
    const all = await audit.listOverrides('wf-long', ...ALL_DAY, 1000);

    // Assess: two hours, each over the chunk bound.
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(all).toEqual(batch.map(recordOf));
  });

  it('lists every override exactly once after a redelivered batch and batches re-split differently', async () => {
    // Prepare
    const batch = overridesOf('wf-retry', 40, 20);

    // Act
    await applier.apply(batch);
    await applier.apply(batch);
    // A failed batch retried in halves, then a retry from an earlier position within the first hour.
    await applier.apply(batch.slice(0, 15));
    await applier.apply(batch.slice(15));
    await applier.apply(batch.slice(5));
    const items = await trailItems(table, 'wf-retry');
    const all = await audit.listOverrides('wf-retry', ...ALL_DAY, 1000);

    // Assess
    expect(items.length).toBeGreaterThan(2);
    expect(all).toEqual(batch.map(recordOf));
  });

  it('lists per-event items of tables deployed before chunks together with chunks, in order', async () => {
    // Prepare: the earlier layout's items for the even overrides, chunks for the odd ones.
    const batch = overridesOf('wf-mixed', 30, 10);
    for (const streamed of batch.filter((_, i) => i % 2 === 0)) {
      const record = recordOf(streamed);
      await table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: {
            pk: { S: 'OVR#wf-mixed' },
            sk: { S: `${record.occurredAt}#${record.eventId}` },
            eventId: { S: record.eventId },
            occurredAt: { S: record.occurredAt },
            decision: { S: record.decision },
            source: { S: record.source },
            reasonCode: { S: record.reasonCode ?? '' },
            reviewMs: { N: String(record.reviewMs) },
          },
        }),
      );
    }

    // Act
    await applier.apply(batch.filter((_, i) => i % 2 === 1));
    const all = await audit.listOverrides('wf-mixed', ...ALL_DAY, 1000);
    const fromTheMiddle = await audit.listOverrides(
      'wf-mixed',
      '2026-11-23T01:05:00.000Z',
      '2026-11-23T02:03:00.000Z',
      1000,
    );

    // Assess
    const records = batch.map(recordOf);
    expect(all).toEqual(records);
    expect(fromTheMiddle).toEqual(
      records.filter(
        (r) => r.occurredAt >= '2026-11-23T01:05:00.000Z' && r.occurredAt < '2026-11-23T02:03:00.000Z',
      ),
    );
    expect(fromTheMiddle.length).toBeGreaterThan(5);
  });

  it('bounds a listing by from, to and limit across hours and chunks', async () => {
    // Prepare: five hours of 30, in batches of 25 that cut hours in two.
    const batch = overridesOf('wf-range', 150, 30);
    for (let i = 0; i < batch.length; i += 25) await applier.apply(batch.slice(i, i + 25));
    const records = batch.map(recordOf);
    const from = '2026-11-23T01:10:00.000Z';
    const to = '2026-11-23T03:20:00.000Z';

    // Act
    const bounded = await audit.listOverrides('wf-range', from, to, 1000);
    const limited = await audit.listOverrides('wf-range', from, to, 45);
    const fromInstant = await audit.listOverrides('wf-range', '2026-11-23T04:29:00Z', ALL_DAY[1], 5);
    const empty = await audit.listOverrides('wf-range', to, from, 10);

    // Assess
    const expected = records.filter((r) => r.occurredAt >= from && r.occurredAt < to);
    expect(expected).toHaveLength(25 + 30 + 10);
    expect(bounded).toEqual(expected);
    expect(limited).toEqual(expected.slice(0, 45));
    expect(fromInstant).toEqual(records.filter((r) => r.occurredAt >= '2026-11-23T04:29:00Z').slice(0, 5));
    expect(fromInstant).toHaveLength(5);
    expect(empty).toEqual([]);
  });

  it('reads only the pages the first limit overrides can come from', async () => {
    // Prepare: about 3 MB of trail over ten hours, so a listing spans several 1-MB pages.
    const longest = { runId: 'r'.repeat(128), reviewerId: '\u00e9'.repeat(128), source: 's'.repeat(256) };
    const batch = overridesOf('wf-pages', 4000, 400, longest);
    await applier.apply(batch);

    // Act
    queries = 0;
    const first = await audit.listOverrides('wf-pages', ...ALL_DAY, 5);
    const firstQueries = queries;
    queries = 0;
    const all = await audit.listOverrides('wf-pages', ...ALL_DAY, 5000);
    const allQueries = queries;

    // Assess
    expect(first).toEqual(batch.slice(0, 5).map(recordOf));
    expect(firstQueries).toBe(1);
    expect(all).toEqual(batch.map(recordOf));
    expect(allQueries).toBeGreaterThanOrEqual(3);
  });

  it('stops at the item holding the limit-th override, per-event items and chunks alike', async () => {
    // Prepare: hour 0 holds per-event items of its earliest overrides (a table deployed before chunks)
    // and a chunk of its later ones, sorting after them; hour 1 holds a chunk.
    const batch = overridesOf('wf-mid', 12, 6);
    const early = batch.slice(0, 3);
    for (const streamed of early) {
      const record = recordOf(streamed);
      await table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: {
            pk: { S: 'OVR#wf-mid' },
            sk: { S: overridePosition(record) },
            eventId: { S: record.eventId },
            occurredAt: { S: record.occurredAt },
            decision: { S: record.decision },
            source: { S: record.source },
          },
        }),
      );
    }
    await applier.apply(batch.slice(3));

    // Act: one item a page.
    queries = 0;
    const first = await listOverrideTrail(reading, table.tableName, 'wf-mid', ...ALL_DAY, 3, 1);
    const firstQueries = queries;

    // Assess: the early ones, read one page each; nothing after the third could sort before it.
    expect(first.map((r) => r.eventId)).toEqual(early.map((s) => s.accepted.event.detail.eventId));
    expect(firstQueries).toBe(3);
  });

  it('writes the overrides counted through the stream, one item per chunk, listed once', async () => {
    // Prepare
    const counting: Counting = startCounting(table);
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const batch = overridesOf('wf-stream', 90, 30).map((s) => s.accepted);

    // Act
    await store.ingest(batch.slice(0, 50));
    await store.ingest(batch.slice(50));
    await counting.settle();
    await counting.stop();
    const items = await trailItems(table, 'wf-stream');
    const all = await audit.listOverrides('wf-stream', ...ALL_DAY, 1000);

    // Assess: one item per hour and stream batch, not one per override.
    expect(items.length).toBeLessThan(batch.length / 5);
    expect(all.map((r) => r.eventId)).toEqual(batch.map((a) => a.event.detail.eventId));
  });
});
