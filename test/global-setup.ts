import type { TestProject } from 'vitest/node';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { freePort } from './support/free-port.ts';
import { TEST_WORKERS } from './workers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * Endpoints of the in-memory DynamoDB Locals shared by the suite, one per test worker (see
     * test/support/dynamodb.ts `testDynamoDbEndpoint`); each test file makes its own tables.
     */
    dynamoDbEndpoints: string[];
  }
}

let instances: RunningDynamoDbLocal[] = [];

export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // DynamoDB Local answers on about one core at most, and most of the suite waits on it: one
  // instance per worker lets two files run at once on two cores instead of queueing on one JVM.
  instances = await Promise.all(
    Array.from({ length: TEST_WORKERS }, async () => startDynamoDbLocal({ port: await freePort() })),
  );
  project.provide(
    'dynamoDbEndpoints',
    instances.map((instance) => instance.endpoint),
  );
  return async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
  };
}
