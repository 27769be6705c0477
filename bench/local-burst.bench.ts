import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { LocalQueueDefaults } from '../infra/local/local-queue.ts';
import { openQueueJournal } from '../infra/local/queue-journal.ts';
import { freePort } from '../test/support/free-port.ts';
import { outcomeBatches, sendAll, startLocalProcess } from '../test/support/local-process.ts';

export interface BurstFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const MB = 1024 * 1024;

/** Resident and peak resident memory of a process, from /proc (Linux). */
const memoryOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: (kb('VmRSS') * 1024) / MB, peakMb: (kb('VmHWM') * 1024) / MB };
};

const countedRuns = async (apiUrl: string, workflowId: string): Promise<number> => {
  const response = await fetch(`${apiUrl}/workflows/${workflowId}/metrics?granularity=day`);
  const body = (await response.json()) as { totals?: { runs?: number } };
  return body.totals?.runs ?? 0;
};

/** Time per journal append of one 10-entry PutEvents call, with and without fdatasync. */
const journalAppendMs = async (fsync: boolean, concurrency: number, calls = 1_000): Promise<number> => {
  const directory = mkdtempSync(join(tmpdir(), 'yardstick-journal-bench-'));
  const journal = await openQueueJournal({ directory, fsync });
  const body = 'x'.repeat(600); // about one contract event's envelope
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) {
        await journal.append(
          Array.from({ length: 10 }, () => ({ messageId: randomUUID(), body, sentAt: 0 })),
        );
      }
    }),
  );
  const elapsed = performance.now() - started;
  await journal.close();
  rmSync(directory, { recursive: true, force: true });
  return elapsed / calls;
};

/**
 * `npm start -- --no-demo` as a child process (its own data folder, an in-memory DynamoDB Local):
 * RSS before and after `events` events sent as fast as 16 AWS SDK clients' retries allow, the peak,
 * and the journal's cost per PutEvents call with and without fsync.
 *
 * @example
 * ```ts
 * for (const figure of await benchLocalBurst(50_000)) console.log(figure.name, figure.value, figure.unit);
 * ```
 */
export const benchLocalBurst = async (events = 50_000): Promise<BurstFigure[]> => {
  const figures: BurstFigure[] = [];
  for (const [label, fsync, concurrency] of [
    ['1 caller', true, 1],
    ['8 callers', true, 8],
    ['8 callers, no fsync', false, 8],
  ] as const) {
    figures.push({
      name: `journal append per PutEvents call (${label})`,
      value: await journalAppendMs(fsync, concurrency),
      unit: 'ms',
    });
  }
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const dataDir = mkdtempSync(join(tmpdir(), 'yardstick-burst-'));
  const local = await startLocalProcess({
    YARDSTICK_DATA_DIR: dataDir,
    YARDSTICK_DYNAMODB_ENDPOINT: dynamo.endpoint,
  });
  const pid = local.child.pid ?? 0;
  try {
    const workflowId = `burst-${randomUUID().slice(0, 8)}`;
    const batches = outcomeBatches(workflowId, events, new Date(Date.now() - 3_600_000).toISOString());
    const before = memoryOf(pid);
    const started = performance.now();
    const acknowledged = await sendAll(local.eventsUrl, batches, 16);
    const acceptedSeconds = (performance.now() - started) / 1000;
    const afterBurst = memoryOf(pid);
    while ((await countedRuns(local.apiUrl, workflowId)) < acknowledged.length) {
      await new Promise((resolve) => setTimeout(resolve, 500)); // polling the query API while it drains
    }
    const countedSeconds = (performance.now() - started) / 1000;
    const afterDrain = memoryOf(pid);
    figures.push(
      { name: `events acknowledged (of ${events})`, value: acknowledged.length, unit: '' },
      {
        name: `queue bound (YARDSTICK_QUEUE_MAX_MESSAGES)`,
        value: LocalQueueDefaults.maxMessages,
        unit: 'messages',
      },
      { name: 'RSS before the burst', value: before.rssMb, unit: 'MB' },
      { name: 'RSS when the last event was acknowledged', value: afterBurst.rssMb, unit: 'MB' },
      { name: 'RSS once every event was counted', value: afterDrain.rssMb, unit: 'MB' },
      { name: 'peak RSS during the burst', value: afterDrain.peakMb, unit: 'MB' },
      {
        name: 'burst acknowledged (end to end, throttled)',
        value: acknowledged.length / acceptedSeconds,
        unit: 'events/s',
      },
      { name: 'burst counted', value: acknowledged.length / countedSeconds, unit: 'events/s' },
    );
  } finally {
    local.child.kill('SIGKILL');
    await local.exited;
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
};

// `npx tsx bench/local-burst.bench.ts [events]` runs this benchmark alone.
if (process.argv[1]?.endsWith('local-burst.bench.ts')) {
  benchLocalBurst(Number(process.argv[2] ?? 50_000)).then(
    (figures) => {
      for (const f of figures)
        console.log(`| ${f.name} | ${f.value.toFixed(f.value >= 100 ? 0 : 2)} ${f.unit} |`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
