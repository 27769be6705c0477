import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { markerTtlDays } from '../../events/event-time.ts';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { catalogGovernance } from '../../shared/ingest/admission.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createIngestMetrics } from '../../shared/telemetry/ingest-metrics.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createAggregateHandler } from './handler.ts';

// A bad setting fails here, at cold start, naming the variable.
const config = readFunctionConfig('aggregate', process.env);
const catalog = loadCatalogFromEnvironment();
const latenessDays = config.latenessDays;

/** Lambda entry point: dependencies from the environment the CDK stack sets. */
export const handler = createAggregateHandler({
  store: new DynamoDbMetricsStore({
    client: new DynamoDBClient({}),
    tableName: config.tableName,
    // Markers must outlive every copy that can still be counted (see events/event-time.ts).
    markerTtlDays: markerTtlDays(latenessDays),
  }),
  price: catalog.price,
  logger: createLogger(config.serviceName),
  // Namespace and service are fixed (the dashboards and alarms are built on them), not settings.
  metrics: createIngestMetrics(),
  metricsOptions: { perWorkflow: config.perWorkflowMetrics, catalog },
  latenessDays,
  governance: catalogGovernance(catalog, config.maxNewWorkflowsPerDay),
});
