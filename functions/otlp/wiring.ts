import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { FunctionConfig } from '../../shared/config/variables.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createOtlpHandler } from './handler.ts';

/**
 * The OTLP handler and its AWS dependencies, from the settings `index.ts` read at cold start.
 *
 * @example
 * ```ts
 * const handler = wireOtlp(readFunctionConfig('otlp', process.env), loadCatalogFromEnvironment());
 * ```
 */
export const wireOtlp = (config: FunctionConfig<'otlp'>, catalog: LoadedCatalog) =>
  createOtlpHandler({
    catalog: catalog.catalog,
    eventBridge: new EventBridgeClient({}),
    busName: config.eventBusName,
    logger: createLogger(config.serviceName),
  });
