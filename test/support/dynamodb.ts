import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ensureTable,
  localDynamoDbClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from '../../infra/local/dynamodb-local.ts';
import { type FunctionClients, functionClients } from '../../infra/local/iam-enforcement.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import type { FunctionPermissionSet } from '../../shared/config/permissions.ts';
import { freePort } from './free-port.ts';

let own: Promise<RunningDynamoDbLocal> | undefined;

/**
 * This test file's own in-memory DynamoDB Local, started on first use (each file runs in a fresh
 * process, and the launcher exits when that process does). One instance shared by the whole suite
 * slowed down tenfold as it went: DynamoDB Local keeps every stream record it ever wrote, and a
 * PutItem that took 15 ms on a fresh instance took 140 ms after twenty minutes of the suite.
 */
export const testDynamoDbEndpoint = async (): Promise<string> => {
  own ??= freePort().then((port) => startDynamoDbLocal({ port }));
  return (await own).endpoint;
};

/**
 * A fresh table in this test file's DynamoDB Local, so test files never see each other's data. `client`
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
  const endpoint = await testDynamoDbEndpoint();
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
