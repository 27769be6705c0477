import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { seededRandom } from '../../infra/local/demo/random.ts';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { functionClients } from '../../infra/local/iam-enforcement.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { DEFAULT_TABLE_NAME } from '../../shared/store/dynamodb/table.ts';
import { DAY_MS, floorTo } from '../../shared/time.ts';
import { comparedTotalsOf, expectedTotals } from './expected-totals.ts';
import { generateSchedule, type Schedule } from './fault-schedule.ts';
import { startLocalProcess } from './local-process.ts';

/** Small schedules sent in one local-mode run: enough traffic for a kill to land mid-stream. */
const SCHEDULES_PER_RUN = 4;

const entriesOf = (schedule: Schedule): PutEventsRequestEntry[] =>
  schedule.messages.map((m) => {
    const version = schedule.events[m.event]?.versions[m.version];
    return {
      EventBusName: 'yardstick',
      Source: 'test.kill-schedule',
      DetailType: version?.facts.kind,
      Detail: JSON.stringify(version?.detail),
    };
  });

/**
 * Local mode as a child process killed with SIGKILL at a seeded moment: a few schedules' events
 * (duplicates and conflicting re-sends included) go out in PutEvents calls; at the chosen call the
 * process is killed, with that call in flight; a new process starts on the same data folder, the
 * producer re-sends what was never acknowledged (as an SDK retry would) and the rest, and Ctrl-C
 * drains. Returns the violations: every workflow's totals must be exact.
 *
 * @example
 * ```ts
 * expect(await runKillSchedule('42:kill0', endpoint)).toEqual([]);
 * ```
 */
export const runKillSchedule = async (seed: string, dynamoDbEndpoint: string): Promise<string[]> => {
  const random = seededRandom('kill', seed);
  const schedules = Array.from({ length: SCHEDULES_PER_RUN }, (_, i) => generateSchedule(`${seed}-${i}`));
  const entries = schedules.flatMap(entriesOf).sort(() => random() - 0.5);
  const calls: PutEventsRequestEntry[][] = [];
  for (let i = 0; i < entries.length; ) {
    const size = 1 + Math.floor(random() * 10);
    calls.push(entries.slice(i, i + size));
    i += size;
  }
  const killAt = Math.floor(random() * calls.length);
  const environment = {
    YARDSTICK_DATA_DIR: mkdtempSync(join(tmpdir(), 'yardstick-kill-schedule-')),
    YARDSTICK_DYNAMODB_ENDPOINT: dynamoDbEndpoint,
  };

  const first = await startLocalProcess(environment);
  const client = localEventBridgeClient(first.eventsUrl);
  const unacknowledged: PutEventsRequestEntry[] = [];
  for (const [i, call] of calls.entries()) {
    if (i < killAt) {
      const { Entries = [] } = await client.send(new PutEventsCommand({ Entries: call }));
      call.forEach((entry, j) => {
        if (!Entries[j]?.EventId) unacknowledged.push(entry);
      });
    } else if (i === killAt) {
      // In flight when the process dies: the producer never learns whether it was taken.
      const inFlight = client.send(new PutEventsCommand({ Entries: call })).catch(() => undefined);
      first.child.kill('SIGKILL');
      await Promise.all([inFlight, first.exited]);
      unacknowledged.push(...call);
    } else unacknowledged.push(...call);
  }
  client.destroy();

  const second = await startLocalProcess(environment);
  const retry = localEventBridgeClient(second.eventsUrl);
  for (let i = 0; i < unacknowledged.length; i += 10) {
    await retry.send(new PutEventsCommand({ Entries: unacknowledged.slice(i, i + 10) }));
  }
  retry.destroy();
  second.child.kill('SIGINT'); // Ctrl-C: stops accepting and counts everything queued before exiting
  const exitCode = await second.exited;

  const violations = exitCode === 0 ? [] : [`second run exited with ${exitCode}: ${second.output()}`];
  const api = functionClients('api', { endpoint: dynamoDbEndpoint, tableName: DEFAULT_TABLE_NAME });
  const reader = new DynamoDbMetricsStore({ client: api.dynamodb, tableName: DEFAULT_TABLE_NAME });
  const catalog = parseCatalog({ version: 1 }, 'test catalog');
  const to = floorTo(Date.now(), DAY_MS) + DAY_MS;
  try {
    for (const schedule of schedules) {
      for (const workflowId of schedule.workflows) {
        const range = { workflowId, fromMs: to - 2 * DAY_MS, toMs: to, granularity: 'day' as const };
        const actual = comparedTotalsOf((await queryWorkflowMetrics(reader, catalog, range)).totals);
        const allowed = expectedTotals(schedule, workflowId);
        if (!allowed.some((e) => JSON.stringify(e) === JSON.stringify(actual)))
          violations.push(
            `${workflowId} (killed at call ${killAt} of ${calls.length}): got ${JSON.stringify(actual)}`,
          );
      }
    }
  } finally {
    api.destroy();
  }
  return violations;
};
