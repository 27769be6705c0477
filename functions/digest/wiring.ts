import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { FunctionConfig } from '../../shared/config/variables.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createDigestHandler } from './handler.ts';
import { SesDigestSender } from './ses-sender.ts';

/**
 * The digest handler and its AWS dependencies, from the settings `index.ts` read and checked at
 * cold start.
 *
 * @example
 * ```ts
 * const handler = wireDigest(config, catalog, 'digest@example.com');
 * ```
 */
export const wireDigest = (config: FunctionConfig<'digest'>, catalog: LoadedCatalog, sender: string) => {
  const client = new DynamoDBClient({});
  const { tableName } = config;
  return createDigestHandler({
    store: new DynamoDbMetricsStore({ client, tableName }),
    archive: new DynamoDbDigestArchive({ client, tableName }),
    sender: new SesDigestSender({ client: new SESv2Client({}), sender }),
    catalog,
    logger: createLogger(config.serviceName),
  });
};
