import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
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

const catalog = parseCatalog(
  { version: 1, workflows: [{ id: 'wf', name: 'Wf', ownerTeam: 'ops', stage: 'production' }] },
  'test catalog',
);

describe('local counting beside other tables of the same DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let neighbour: Awaited<ReturnType<typeof createTestTable>>;
  let counting: Counting;
  beforeAll(async () => {
    table = await createTestTable();
    neighbour = await createTestTable();
    counting = startCounting(table);
  });
  afterAll(async () => {
    await counting.stop();
    await table.drop();
    await neighbour.drop();
  });

  it('counts its events when another table’s stream was written after it started polling an empty shard', async () => {
    // Prepare: the poller has read its empty shard once; then another table of the same DynamoDB
    // Local writes 50 items (DynamoDB Local numbers stream records across tables, so the position of
    // the empty shard's iterator is now before the trim horizon).
    await counting.settle();
    await neighbour.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [neighbour.tableName]: Array.from({ length: 25 }, (_, i) => ({
            PutRequest: { Item: { pk: { S: 'OTHER' }, sk: { S: `item-${i}` } } },
          })),
        },
      }),
    );
    const store = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
    });
    const handler = createAggregateHandler({ store, price: catalog.price, logger: createLogger('test') });
    const hour = recentHour();
    const events = Array.from({ length: 30 }, (_, i) => ({
      messageId: `m${i}`,
      detailType: 'ai.workflow.outcome',
      detail: {
        schemaVersion: 1,
        eventId: `e${i}`,
        workflowId: 'wf',
        occurredAt: new Date(hour + i * 1000).toISOString(),
        status: 'succeeded',
      },
    }));

    // Act
    await handler(sqsEventOf(events), localLambdaContext('test-aggregate'));
    await counting.settle();

    // Assess: every event counted, none lost to the trimmed position.
    const to = floorTo(Date.now(), DAY_MS) + DAY_MS;
    const { totals } = await queryWorkflowMetrics(
      new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName }),
      catalog,
      { workflowId: 'wf', fromMs: to - 3 * DAY_MS, toMs: to, granularity: 'day' },
    );
    expect(totals.succeeded).toBe(30);
  });
});
