import type { SQSEvent } from 'aws-lambda';
import type { DetailTypeName } from '../../events/detail-types.ts';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { DAY_MS, floorTo, HOUR_MS } from '../../shared/time.ts';
import { createTestTable } from './dynamodb.ts';

/** Local mode on free ports over a fresh table of the suite's DynamoDB Local. */
export const startTestLocalMode = async (
  overrides: Partial<LocalRuntimeOptions> = {},
): Promise<LocalRuntime & { dropTable: () => Promise<void> }> => {
  const table = await createTestTable();
  const local = await startLocalRuntime({
    apiPort: 0,
    eventsPort: 0,
    dynamoDb: { endpoint: table.endpoint },
    tableName: table.tableName,
    catalog: parseCatalog({ version: 1 }, 'test catalog'),
    queue: { batchWindowMs: 5, visibilityTimeoutMs: 0, batchSize: 50 },
    ...overrides,
  });
  return Object.assign(local, { dropTable: table.drop });
};

/** An instant two hours before the current hour: inside the lateness window and never in the future. */
export const recentHour = (nowMs = Date.now()): number => floorTo(nowMs, HOUR_MS) - 2 * HOUR_MS;

/** A day range (`from`, `to`) covering `ms` and the present. */
export const dayRangeAround = (ms: number, nowMs = Date.now()) => ({
  from: new Date(floorTo(ms, DAY_MS) - DAY_MS).toISOString(),
  to: new Date(floorTo(nowMs, DAY_MS) + DAY_MS).toISOString(),
});

export const getJson = async <T = Record<string, unknown>>(
  url: string,
): Promise<{ status: number; body: T }> => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
};

/** An SQS event whose bodies are EventBridge events, as the ingestion queue delivers them. */
export const sqsEventOf = (
  items: ReadonlyArray<
    | { messageId: string; detailType: DetailTypeName | string; detail: unknown }
    | { messageId: string; rawBody: string }
  >,
): SQSEvent => ({
  Records: items.map((item) => ({
    messageId: item.messageId,
    receiptHandle: item.messageId,
    body:
      'rawBody' in item
        ? item.rawBody
        : JSON.stringify({
            version: '0',
            id: `env-${item.messageId}`,
            'detail-type': item.detailType,
            source: 'test.producer',
            account: '000000000000',
            time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: 'us-east-1',
            resources: [],
            detail: item.detail,
          }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
    awsRegion: 'us-east-1',
  })),
});
