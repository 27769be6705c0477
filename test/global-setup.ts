import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { freePort } from './support/free-port.ts';

/**
 * Starts DynamoDB Local once and stops it, so that its launcher is compiled into the cache before
 * test files start their own instances at the same time (test/support/dynamodb.ts).
 */
export default async function setup() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const warm = await startDynamoDbLocal({ port: await freePort() });
  await warm.stop();
}
