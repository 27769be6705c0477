import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../support/free-port.ts';
import { isLoopback, listeningSockets } from '../support/listening-sockets.ts';
import { startLocalProcess } from '../support/local-process.ts';

/** Resolves once no socket listens on `port`, i.e. its process has gone; rejects after `ms`. */
const portReleased = async (port: number, ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (listeningSockets().some((socket) => socket.port === port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} still listens after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling the kernel's socket table
  }
};

describe('local mode listeners', () => {
  it('binds every listener, DynamoDB Local included, to loopback, and leaves none behind after kill -9', async () => {
    // Prepare: local mode with its own DynamoDB Local, as `npm start` runs it.
    const local = await startLocalProcess({
      YARDSTICK_DATA_DIR: mkdtempSync(join(tmpdir(), 'yardstick-listen-')),
    });

    // Act
    const sockets = listeningSockets().filter((socket) => local.ports.includes(socket.port));
    local.child.kill('SIGKILL');
    await local.exited;
    const [, , dynamoDbPort] = local.ports;
    await portReleased(dynamoDbPort ?? 0, 15_000);

    // Assess
    expect([...new Set(sockets.map((socket) => socket.port))].sort()).toEqual([...local.ports].sort());
    expect(sockets.filter((socket) => !isLoopback(socket.address))).toEqual([]);
  });

  it('uses the DynamoDB named by YARDSTICK_DYNAMODB_ENDPOINT, creating its table, and starts none of its own', async () => {
    // Prepare: an empty DynamoDB Local run elsewhere.
    const elsewhere = await startDynamoDbLocal({ port: await freePort() });
    const tablesBefore = await elsewhere.client.send(new ListTablesCommand({}));

    // Act
    const local = await startLocalProcess({
      YARDSTICK_DATA_DIR: mkdtempSync(join(tmpdir(), 'yardstick-endpoint-')),
      YARDSTICK_DYNAMODB_ENDPOINT: elsewhere.endpoint,
    });
    const table = await elsewhere.client.send(new DescribeTableCommand({ TableName: 'yardstick' }));
    const [, , unusedDynamoDbPort] = local.ports;
    const ownDynamoDb = listeningSockets().some((socket) => socket.port === unusedDynamoDbPort);
    local.child.kill('SIGINT');
    await local.exited;
    await elsewhere.stop();

    // Assess
    expect(tablesBefore.TableNames).toEqual([]);
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(ownDynamoDb).toBe(false);
    expect(local.output()).toContain(`DynamoDB         ${elsewhere.endpoint}`);
  });
});
