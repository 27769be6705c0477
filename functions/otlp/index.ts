import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createOtlpHandler } from './handler.ts';

// A bad setting fails here, at cold start, naming the variable.
const config = readFunctionConfig('otlp', process.env);

/** Lambda entry point behind the HTTP API's `POST /v1/traces` and `POST /v1/logs` routes. */
export const handler = createOtlpHandler({
  catalog: loadCatalogFromEnvironment().catalog,
  eventBridge: new EventBridgeClient({}),
  busName: config.eventBusName,
  logger: createLogger(config.serviceName),
});
