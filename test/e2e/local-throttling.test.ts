import { request } from 'node:http';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURST_RETRY, localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { startEventsServer } from '../../infra/local/events-server.ts';
import { QueueFullError } from '../../infra/local/local-queue.ts';
import { dayRangeAround, getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';
import { outcomeBatches } from '../support/local-process.ts';

const BOUND = 20;
const EVENTS = 400;

describe('a full local queue', () => {
  it('answers PutEvents with HTTP 400 ThrottlingException, as AWS does, so SDKs retry', async () => {
    // Prepare
    const server = await startEventsServer({
      port: 0,
      buses: ['yardstick'],
      onEvents: async () => {
        throw new QueueFullError(BOUND, BOUND);
      },
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const [batch] = outcomeBatches('wf-full', 1, new Date().toISOString());

    // Act
    const response = await new Promise<{ status?: number; type?: string; body: string }>(
      (resolve, reject) => {
        const call = request(
          { host: '127.0.0.1', port, method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents' } },
          (res) => {
            let body = '';
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode, type: res.headers['x-amzn-errortype'] as string, body }),
            );
          },
        );
        call.on('error', reject);
        call.end(JSON.stringify({ Entries: batch }));
      },
    );
    server.close();

    // Assess
    expect(response.status).toBe(400);
    expect(response.type).toBe('ThrottlingException');
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'ThrottlingException' });
  });
});

describe('local mode with a small queue bound', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  beforeAll(async () => {
    local = await startTestLocalMode({
      queue: { batchWindowMs: 5, visibilityTimeoutMs: 0, batchSize: 10, maxMessages: BOUND },
    });
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it("gets every event through with the AWS SDK's own retries, never holding more than the bound", async () => {
    // Prepare
    const at = recentHour();
    const batches = outcomeBatches('wf-bounded', EVENTS, new Date(at).toISOString());
    const client = localEventBridgeClient(local.eventsUrl, BURST_RETRY);
    let next = 0;
    let acknowledged = 0;
    let retriedCalls = 0;

    // Act: 8 calls in flight against room for 2 calls' worth of events.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          const result = await client.send(new PutEventsCommand({ Entries: batches[next++] }));
          acknowledged += result.Entries?.filter((entry) => entry.EventId).length ?? 0;
          if ((result.$metadata.attempts ?? 1) > 1) retriedCalls++;
        }
      }),
    );
    client.destroy();
    await local.drain();
    const range = dayRangeAround(at);
    const { body } = await getJson<{ totals: { runs: number } }>(
      `${local.apiUrl}/workflows/wf-bounded/metrics?granularity=day&from=${range.from}&to=${range.to}`,
    );

    // Assess
    expect(acknowledged).toBe(EVENTS);
    expect(retriedCalls).toBeGreaterThan(0);
    expect(local.queue.stats.peakPending).toBeLessThanOrEqual(BOUND);
    expect(body.totals.runs).toBe(EVENTS);
  });
});
