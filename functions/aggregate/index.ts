import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createIngestMetrics, parsePerWorkflowMetrics } from '../../shared/telemetry/ingest-metrics.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createAggregateHandler } from './handler.ts';

const catalog = loadCatalogFromEnvironment();
const latenessDays = Number(process.env.LATENESS_DAYS ?? DEFAULT_LATENESS_DAYS);

/** Lambda entry point: dependencies from the environment the CDK stack sets. */
export const handler = createAggregateHandler({
  store: new DynamoDbMetricsStore({
    client: new DynamoDBClient({}),
    tableName: process.env.TABLE_NAME ?? 'yardstick',
    // Markers must outlive the lateness window, so that a redelivery late enough to miss its marker is refused as too late.
    markerTtlDays: latenessDays + 7,
  }),
  price: catalog.price,
  logger: createLogger('yardstick-aggregate'),
  metrics: createIngestMetrics(),
  metricsOptions: { perWorkflow: parsePerWorkflowMetrics(process.env.PER_WORKFLOW_METRICS), catalog },
  latenessDays,
});
