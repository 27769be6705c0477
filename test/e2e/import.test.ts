import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/load.ts';
import type { ImportReport } from '../../shared/ingest/import-history.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { DAY_MS, floorTo } from '../../shared/time.ts';
import { type Counting, settledFirst, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';

const run = promisify(execFile);
const CLI = new URL('../../infra/local/yardstick.mjs', import.meta.url).pathname;

describe('yardstick import', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  // Counts follow recording through the table's stream; readers wait for it (settledFirst).
  let streamCounting: Counting;
  let dir: string;
  const nowMs = Date.now();
  const at = (daysAgo: number) =>
    new Date(floorTo(nowMs, DAY_MS) - daysAgo * DAY_MS + 3_600_000).toISOString();

  beforeAll(async () => {
    table = await createTestTable();
    streamCounting = startCounting(table);
    dir = mkdtempSync(join(tmpdir(), 'yardstick-import-'));
  });
  afterAll(async () => {
    await streamCounting?.stop();
    await table.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const importFile = async (file: string) => {
    const { stdout } = await run(
      process.execPath,
      [CLI, 'import', file, '--endpoint', table.endpoint, '--table', table.tableName, '--json'],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    return JSON.parse(stdout) as ImportReport;
  };

  it('counts history older than the lateness window once, quarantines bad lines, and counts nothing twice when re-run', async () => {
    // Prepare: PutEvents entries and archived events, 100 and 60 days old, one repeated, two bad lines.
    const old = {
      Source: 'acme.history',
      DetailType: 'ai.workflow.outcome',
      Detail: JSON.stringify({
        schemaVersion: 1,
        eventId: 'h1',
        workflowId: 'imported',
        occurredAt: at(100),
        status: 'succeeded',
        valueUsd: 12.5,
      }),
    };
    const archived = {
      source: 'acme.history',
      'detail-type': 'ai.workflow.usage',
      detail: {
        schemaVersion: 1,
        eventId: 'h2',
        workflowId: 'imported',
        occurredAt: at(60),
        model: 'm',
        inputTokens: 100,
        outputTokens: 20,
        costUsd: 0.25,
        latencyMs: 900,
      },
    };
    const future = {
      ...old,
      Detail: old.Detail.replace(at(100), new Date(nowMs + DAY_MS).toISOString()).replace('h1', 'h3'),
    };
    const file = join(dir, 'history.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify(old),
        JSON.stringify(archived),
        JSON.stringify(old),
        '{not json',
        JSON.stringify(future),
        '',
      ].join('\n'),
    );

    // Act
    const first = await importFile(file);
    const second = await importFile(file);

    // Assess
    expect(first).toMatchObject({ lines: 5, counted: 2, duplicates: 1, quarantined: 2, failed: 0 });
    expect(first.problems.map((p) => [p.line, p.code])).toEqual([
      [4, 'invalid_json'],
      [5, 'occurred_in_future'],
    ]);
    expect(second).toMatchObject({ lines: 5, counted: 0, duplicates: 3, quarantined: 2, failed: 0 });
    const reader = settledFirst(
      new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName }),
      streamCounting,
    );
    const { totals } = await queryWorkflowMetrics(reader, parseCatalog({ version: 1 }, 'test'), {
      workflowId: 'imported',
      fromMs: floorTo(nowMs, DAY_MS) - 120 * DAY_MS,
      toMs: floorTo(nowMs, DAY_MS),
      granularity: 'day',
    });
    expect(totals).toMatchObject({ succeeded: 1, valueUsd: 12.5, usageEvents: 1, costUsd: 0.25 });
  });

  it('explains what it needs when called without a file', async () => {
    // Act
    const failure = await run(process.execPath, [CLI, 'import']).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failure).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('import needs the FILE to load'),
    });
  });
});
