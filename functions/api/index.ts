import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createApiHandler } from './handler.ts';

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME ?? 'yardstick';

/** Lambda entry point behind the HTTP API. */
export const handler = createApiHandler(
  {
    store: new DynamoDbMetricsStore({ client, tableName }),
    catalog: loadCatalogFromEnvironment(),
    now: Date.now,
    digests: new DynamoDbDigestArchive({ client, tableName }),
  },
  createLogger('yardstick-api'),
);
