import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { catalogWriteShards } from '../../shared/ingest/admission.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { Keys } from '../../shared/store/dynamodb/keys.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, dayKey, floorTo } from '../../shared/time.ts';
import { type Counting, settledFirst, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { recentHour, sqsEventOf } from '../support/local-mode.ts';

const SHARDS = 4;
const catalog = parseCatalog(
  {
    version: 1,
    workflows: [{ id: 'hot', name: 'Hot', ownerTeam: 'ops', stage: 'production', writeShards: SHARDS }],
  },
  'test catalog',
);
const logger = createLogger('test-aggregate');

describe('a hot workflow spread over write shards', () => {
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

  it('records its events over the catalog’s write shards and reads the counters back exactly', async () => {
    // Prepare: 400 events of one workflow, in SQS batches of 100, each batch delivered twice.
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
      writeShardsOf: catalogWriteShards(catalog),
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger });
    const hour = recentHour();
    const events = Array.from({ length: 400 }, (_, i) => ({
      messageId: `m${i}`,
      detailType: 'ai.workflow.outcome',
      detail: {
        schemaVersion: 1,
        eventId: `e${i}`,
        workflowId: 'hot',
        occurredAt: new Date(hour + i * 1000).toISOString(),
        status: 'succeeded',
        valueUsd: 0.25,
        userId: `user-${i % 37}`,
      },
    }));

    // Act
    for (let i = 0; i < events.length; i += 100) {
      const batch = sqsEventOf(events.slice(i, i + 100));
      await handler(batch, localLambdaContext('test-aggregate'));
      await handler(batch, localLambdaContext('test-aggregate'));
    }
    await counting.settle();
    const reader = settledFirst(
      new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName }),
      counting,
    );
    const to = floorTo(Date.now(), DAY_MS) + DAY_MS;
    const { totals } = await queryWorkflowMetrics(reader, catalog, {
      workflowId: 'hot',
      fromMs: to - 3 * DAY_MS,
      toMs: to,
      granularity: 'day',
    });
    const perShard = await Promise.all(
      Array.from({ length: SHARDS }, async (_, shard) => {
        const { Count = 0 } = await table.client.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: `RAW#hot#${shard}` } },
            Select: 'COUNT',
          }),
        );
        return Count;
      }),
    );
    const { Items: [dayItem] = [] } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: {
          ':pk': { S: Keys.counters('hot') },
          ':sk': { S: Keys.bucket('day', dayKey(hour)) },
        },
      }),
    );

    // Assess: every event counted once; every shard used; one applied-through number per shard.
    expect(totals.succeeded).toBe(400);
    expect(totals.valueUsd).toBe(100);
    expect(totals.activeUsers).toBe(37);
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(400);
    expect(perShard.every((count) => count > 50)).toBe(true);
    expect(
      Object.keys(dayItem ?? {})
        .filter((name) => name.startsWith('seq_'))
        .sort(),
    ).toEqual(Array.from({ length: SHARDS }, (_, shard) => `seq_${shard}`));
  });
});
