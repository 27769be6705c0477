import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { readFunctionConfig, Variables } from '../../shared/config/environment.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createDigestHandler } from './handler.ts';
import { SesDigestSender } from './ses-sender.ts';

// A bad setting fails here, at cold start, naming the variable.
const config = readFunctionConfig('digest', process.env);
const client = new DynamoDBClient({});
const { tableName } = config;
const catalog = loadCatalogFromEnvironment();
const sender = config.digestSender ?? catalog.catalog.digest.sender;
if (!sender)
  throw new Error(`${Variables.digestSender.name} is not set and the catalog names no digest.sender`);

/** Lambda entry point: dependencies from the environment the CDK stack sets. */
export const handler = createDigestHandler({
  store: new DynamoDbMetricsStore({ client, tableName }),
  archive: new DynamoDbDigestArchive({ client, tableName }),
  sender: new SesDigestSender({ client: new SESv2Client({}), sender }),
  catalog,
  logger: createLogger(config.serviceName),
});
