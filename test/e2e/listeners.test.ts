import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
