import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { FunctionConfig } from '../../shared/config/variables.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createApiHandler } from './handler.ts';

/**
 * The api handler and its AWS dependencies, from the settings `index.ts` read at cold start.
 *
 * @example
 * ```ts
 * const handler = wireApi(readFunctionConfig('api', process.env), loadCatalogFromEnvironment());
 * ```
 */
export const wireApi = (config: FunctionConfig<'api'>, catalog: LoadedCatalog) => {
  const client = new DynamoDBClient({});
  const { tableName } = config;
  return createApiHandler(
    {
      store: new DynamoDbMetricsStore({ client, tableName }),
      catalog,
      now: Date.now,
      digests: new DynamoDbDigestArchive({ client, tableName }),
    },
    createLogger(config.serviceName),
  );
};
