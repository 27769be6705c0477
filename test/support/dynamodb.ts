import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTable, localDynamoDbClient } from '../../infra/local/dynamodb-local.ts';
import { type FunctionClients, functionClients } from '../../infra/local/iam-enforcement.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import type { FunctionPermissionSet } from '../../shared/config/permissions.ts';

/**
 * The endpoint of this test worker's DynamoDB Local (test/global-setup.ts starts one per worker;
 * vitest numbers its workers from 1 in `VITEST_POOL_ID`).
 */
export const testDynamoDbEndpoint = (): string => {
  const endpoints = inject('dynamoDbEndpoints');
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  return endpoints[(worker - 1) % endpoints.length] as string;
};

/**
 * A fresh table in the suite's DynamoDB Local, so test files never see each other's data. `client`
 * is unrestricted, for seeding and inspecting the table; a test that plays a function uses
 * `clientOf(function)`, limited to that function's IAM actions as on AWS.
 */
export const createTestTable = async (): Promise<{
  client: DynamoDBClient;
  tableName: string;
  endpoint: string;
  /** The table's stream, which the counters function consumes (see test/support/counting.ts). */
  streamArn: string;
  /** The DynamoDB client of one function, refusing what its role would refuse. */
  clientOf: (functionName: FunctionName, permissions?: FunctionPermissionSet) => DynamoDBClient;
  /** All AWS clients of one function (its DynamoDB Streams client among them), limited like `clientOf`. */
  clientsOf: (functionName: FunctionName, permissions?: FunctionPermissionSet) => FunctionClients;
  drop: () => Promise<void>;
}> => {
  const endpoint = testDynamoDbEndpoint();
  const client = localDynamoDbClient(endpoint);
  const tableName = `test-${randomUUID().slice(0, 8)}`;
  const streamArn = await ensureTable(client, tableName);
  const made: FunctionClients[] = [];
  const clientsOf = (functionName: FunctionName, permissions?: FunctionPermissionSet) => {
    const clients = functionClients(functionName, { endpoint, tableName, permissions });
    made.push(clients);
    return clients;
  };
  return {
    client,
    tableName,
    endpoint,
    streamArn,
    clientOf: (functionName, permissions) => clientsOf(functionName, permissions).dynamodb,
    clientsOf,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
      for (const clients of made) clients.destroy();
    },
  };
};
