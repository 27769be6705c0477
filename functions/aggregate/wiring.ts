import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { markerTtlDays } from '../../events/event-time.ts';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { FunctionConfig } from '../../shared/config/variables.ts';
import { catalogGovernance, catalogWriteShards } from '../../shared/ingest/admission.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createIngestMetrics } from '../../shared/telemetry/ingest-metrics.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createAggregateHandler } from './handler.ts';

/**
 * The aggregate handler and its AWS dependencies, from the settings `index.ts` read at cold start.
 *
 * @example
 * ```ts
 * const handler = wireAggregate(readFunctionConfig('aggregate', process.env), loadCatalogFromEnvironment());
 * ```
 */
export const wireAggregate = (config: FunctionConfig<'aggregate'>, catalog: LoadedCatalog) =>
  createAggregateHandler({
    store: new DynamoDbMetricsStore({
      client: new DynamoDBClient({}),
      tableName: config.tableName,
      // Markers must outlive every copy that can still be counted (see events/event-time.ts).
      markerTtlDays: markerTtlDays(config.latenessDays),
      writeShardsOf: catalogWriteShards(catalog),
    }),
    price: catalog.price,
    logger: createLogger(config.serviceName),
    // Namespace and service are fixed (the dashboards and alarms are built on them), not settings.
    metrics: createIngestMetrics(),
    metricsOptions: { perWorkflow: config.perWorkflowMetrics, catalog },
    latenessDays: config.latenessDays,
    governance: catalogGovernance(catalog, config.maxNewWorkflowsPerDay),
  });
