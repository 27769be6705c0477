import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createApiHandler } from './handler.ts';

/** Lambda entry point behind the HTTP API. */
export const handler = createApiHandler(
  {
    store: new DynamoDbMetricsStore({
      client: new DynamoDBClient({}),
      tableName: process.env.TABLE_NAME ?? 'yardstick',
    }),
    catalog: loadCatalogFromEnvironment(),
    now: Date.now,
  },
  createLogger('yardstick-api'),
);
