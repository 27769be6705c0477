import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../infra/local/demo/random.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { catalogGovernance } from '../../shared/ingest/admission.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createTestTable, testDynamoDbEndpoint } from '../support/dynamodb.ts';
import { Fault, type FaultBudget, type FaultName } from '../support/fault-injection.ts';
import { startFaultyCounting } from '../support/faulty-counting.ts';
import { runKillSchedule } from '../support/kill-schedule.ts';
import { runSchedule, type ScheduleEnvironment, type ScheduleResult } from '../support/run-schedule.ts';

/**
 * The seeded fault-injection property test (docs/counting.md, "Testing the guarantees"). Each
 * schedule sends a few events, with duplicates, re-spellings and conflicting re-sends, through the
 * aggregate handler in SQS-like batches while its DynamoDB calls fail before or after writing, are
 * cancelled for contention, are throttled, or kill the Lambda instance; after every redelivery
 * drained, each workflow's totals must be exactly those of one counted version per eventId.
 *
 *   YARDSTICK_SCHEDULES=10000 npx vitest run test/integration/fault-schedules.test.ts
 *   YARDSTICK_SEED=<seed printed by a failure> npx vitest run test/integration/fault-schedules.test.ts
 */
// Each schedule also waits for the counters function to apply the stream: 250 keep the suite within minutes.
const SCHEDULES = Number(process.env.YARDSTICK_SCHEDULES ?? 250);
const SEED = process.env.YARDSTICK_SEED ?? String(randomInt(1, 2 ** 31));
/** A seed with a `:` is one schedule to replay; otherwise the base of `SCHEDULES` schedules. */
const SEEDS = SEED.includes(':') ? [SEED] : Array.from({ length: SCHEDULES }, (_, i) => `${SEED}:${i}`);
/** Local-mode runs killed with SIGKILL at a seeded moment (each starts local mode twice). */
const KILL_SCHEDULES = Number(process.env.YARDSTICK_KILL_SCHEDULES ?? (SEED.includes(':') ? 0 : 3));
/** Schedules in flight at once: each is small and waits on DynamoDB Local most of the time. */
const CONCURRENCY = 8;

const catalog = parseCatalog({ version: 1 }, 'test catalog');

const runAll = async (env: ScheduleEnvironment) => {
  const results: ScheduleResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < SEEDS.length) {
      const seed = SEEDS[next++] as string;
      results.push(await runSchedule(seed, env));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
};

const replayHint = (result: ScheduleResult) =>
  `YARDSTICK_SEED=${result.schedule.seed} npx vitest run test/integration/fault-schedules.test.ts\n  ` +
  `${JSON.stringify({ events: result.schedule.events, messages: result.schedule.messages.length, faults: result.injected })}\n  ` +
  result.violations.join('\n  ');

describe('fault schedules: totals stay exact whatever fails', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let env: ScheduleEnvironment;
  let counting: ReturnType<typeof startFaultyCounting>;
  const countingFaults: FaultBudget = {
    random: seededRandom('counters-faults', SEED),
    probability: 0.05,
    remaining: 40,
    injected: {},
  };
  beforeAll(async () => {
    table = await createTestTable();
    // One counters function for the table, as one stream feeds one function, with faults of its own.
    counting = startFaultyCounting(table, countingFaults);
    env = {
      settle: () => counting.settle(),
      endpoint: table.endpoint,
      tableName: table.tableName,
      catalog,
      // Every schedule has workflows of its own: far more new ids than a day's default cap admits.
      governance: catalogGovernance(catalog, 1_000_000),
      reader: new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName }),
    };
  });
  afterAll(async () => {
    await counting.stop();
    await table.drop();
  });

  // Both tests run at once: the kill schedules mostly wait for child processes to start.
  it.concurrent(
    `counts every event exactly once in ${SEEDS.length} seeded schedules of crashes, contention, throttling and redelivery`,
    async () => {
      // Prepare: the seeds above (a replayed seed, or SCHEDULES from a random base).
      const started = Date.now();

      // Act
      const results = await runAll(env);

      // Assess
      const failed = results.filter((r) => r.violations.length > 0);
      const injected = (fault: FaultName) =>
        results.reduce((n, r) => n + (r.injected[fault] ?? 0), countingFaults.injected[fault] ?? 0);
      console.info(
        `${results.length} schedules (seed ${SEED}), ${failed.length} failed, ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `faults: ${Object.values(Fault)
            .map((f) => `${f} ${injected(f)}`)
            .join(', ')}; ` +
          `redeliveries: ${results.reduce((n, r) => n + r.delivery.redelivered, 0)}`,
      );
      expect(failed.slice(0, 5).map(replayHint), `failing schedules of seed ${SEED}`).toEqual([]);
      expect(counting.denied().map((d) => d.message)).toEqual([]);
      if (SEEDS.length >= 100) {
        // The schedules did what they claim: every kind of fault happened, and redelivery followed.
        for (const fault of Object.values(Fault)) expect(injected(fault), fault).toBeGreaterThan(0);
        expect(results.some((r) => r.schedule.events.some((e) => e.versions.length > 1))).toBe(true);
      }
    },
    Math.max(120_000, SEEDS.length * 1_500),
  );

  // A replayed in-process seed starts no local mode.
  if (KILL_SCHEDULES > 0)
    it.concurrent(
      `counts every acknowledged event exactly once when local mode is killed with SIGKILL at a seeded moment (${KILL_SCHEDULES} runs)`,
      async () => {
        // Prepare
        const seeds = Array.from({ length: KILL_SCHEDULES }, (_, i) => `${SEED.split(':')[0]}-kill${i}`);

        // Act
        const violations: string[] = [];
        for (const seed of seeds) {
          for (const v of await runKillSchedule(seed, await testDynamoDbEndpoint()))
            violations.push(`${seed}: ${v}`);
        }

        // Assess
        expect(violations, `replay with YARDSTICK_SEED=${SEED}`).toEqual([]);
      },
      KILL_SCHEDULES * 120_000 + 60_000,
    );
});
