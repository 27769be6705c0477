import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createApiHandler } from './handler.ts';

// A bad setting fails here, at cold start, naming the variable.
const config = readFunctionConfig('api', process.env);
const client = new DynamoDBClient({});
const { tableName } = config;

/** Lambda entry point behind the HTTP API. */
export const handler = createApiHandler(
  {
    store: new DynamoDbMetricsStore({ client, tableName }),
    catalog: loadCatalogFromEnvironment(),
    now: Date.now,
    digests: new DynamoDbDigestArchive({ client, tableName }),
  },
  createLogger(config.serviceName),
);
