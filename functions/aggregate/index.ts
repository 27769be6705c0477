import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createAggregateHandler } from './handler.ts';

/** Lambda entry point: dependencies from the environment the CDK stack sets. */
export const handler = createAggregateHandler({
  store: new DynamoDbMetricsStore({
    client: new DynamoDBClient({}),
    tableName: process.env.TABLE_NAME ?? 'yardstick',
  }),
  price: loadCatalogFromEnvironment().price,
  logger: createLogger('yardstick-aggregate'),
  latenessDays: Number(process.env.LATENESS_DAYS ?? DEFAULT_LATENESS_DAYS),
});
