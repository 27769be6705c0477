import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDynamoDbEndpoint } from '../support/dynamodb.ts';
import { dayRangeAround, getJson, recentHour } from '../support/local-mode.ts';
import { outcomeBatches, sendAll, startLocalProcess } from '../support/local-process.ts';

const EVENTS = 1_000;

/** Local mode as `npm start -- --no-demo` runs it, over the suite's DynamoDB (YARDSTICK_DYNAMODB_ENDPOINT). */
const environment = async (dataDir: string) => ({
  YARDSTICK_DATA_DIR: dataDir,
  YARDSTICK_DYNAMODB_ENDPOINT: await testDynamoDbEndpoint(),
});

const runsCounted = async (apiUrl: string, workflowId: string, at: number): Promise<number> => {
  const range = dayRangeAround(at);
  const { body } = await getJson<{ totals: { runs: number } }>(
    `${apiUrl}/workflows/${workflowId}/metrics?granularity=day&from=${range.from}&to=${range.to}`,
  );
  return body.totals.runs;
};

// Each test starts local mode as a child process two or three times and kills or stops it: about 20 s
// on an idle machine, up to 30 under a parallel suite's load.
const PROCESS_TEST_TIMEOUT_MS = 90_000;

describe('local mode keeps every acknowledged event', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('counts every acknowledged event exactly once after kill -9 and a restart, without re-sending', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'yardstick-kill-'));
    const workflowId = `wf-kill-${randomUUID().slice(0, 8)}`;
    const at = recentHour();
    const first = await startLocalProcess(await environment(dataDir));

    // Act: SIGKILL right after the last acknowledgement, then start again on the same data folder.
    const acknowledged = await sendAll(
      first.eventsUrl,
      outcomeBatches(workflowId, EVENTS, new Date(at).toISOString()),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startLocalProcess(await environment(dataDir));
    const runs = await runsCounted(second.apiUrl, workflowId, at);
    second.child.kill('SIGINT');
    const exitCode = await second.exited;

    // Assess
    expect(acknowledged).toHaveLength(EVENTS);
    expect(runs).toBe(EVENTS);
    expect(exitCode).toBe(0);
  });

  it('drains on Ctrl-C: stops accepting, counts what is queued, exits 0', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'yardstick-sigint-'));
    const workflowId = `wf-sigint-${randomUUID().slice(0, 8)}`;
    const at = recentHour();
    const first = await startLocalProcess(await environment(dataDir));

    // Act
    const acknowledged = await sendAll(
      first.eventsUrl,
      outcomeBatches(workflowId, EVENTS, new Date(at).toISOString()),
    );
    first.child.kill('SIGINT');
    await first.waitFor('Stopping: PutEvents closed');
    const refusedWhileDraining = await fetch(first.eventsUrl, { method: 'POST' }).then(
      () => false,
      () => true, // connection refused: the endpoint is closed while the queue drains
    );
    const exitCode = await first.exited;
    const second = await startLocalProcess(await environment(dataDir));
    const runs = await runsCounted(second.apiUrl, workflowId, at);
    second.child.kill('SIGINT');
    await second.exited;

    // Assess
    expect(acknowledged).toHaveLength(EVENTS);
    expect(exitCode).toBe(0);
    // Whatever was still queued at Ctrl-C is drained with progress (recording may have emptied it first).
    const queued = Number(
      /Stopping: PutEvents closed\. Counting the ([\d,]+) queued events/
        .exec(first.output())?.[1]
        ?.replaceAll(',', ''),
    );
    expect(Number.isInteger(queued)).toBe(true);
    // Progress counts are grouped by thousands (1,000).
    if (queued > 0) expect(first.output()).toMatch(/Draining: [\d,]+\/[\d,]+ done/);
    expect(refusedWhileDraining).toBe(true);
    expect(second.output()).not.toContain('recovered'); // everything was drained before the exit
    expect(runs).toBe(EVENTS);
  });

  it('keeps what is queued on a second Ctrl-C and counts it on the next start', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'yardstick-sigint2-'));
    const workflowId = `wf-stopnow-${randomUUID().slice(0, 8)}`;
    const at = recentHour();
    const first = await startLocalProcess(await environment(dataDir));

    // Act
    const acknowledged = await sendAll(
      first.eventsUrl,
      outcomeBatches(workflowId, EVENTS, new Date(at).toISOString()),
    );
    first.child.kill('SIGINT');
    await first.waitFor('Stopping: PutEvents closed');
    first.child.kill('SIGINT');
    const exitCode = await first.exited;
    const second = await startLocalProcess(await environment(dataDir));
    const runs = await runsCounted(second.apiUrl, workflowId, at);
    second.child.kill('SIGINT');
    await second.exited;

    // Assess
    expect(acknowledged).toHaveLength(EVENTS);
    expect(exitCode).toBe(0);
    expect(runs).toBe(EVENTS);
  });
});
