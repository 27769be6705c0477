import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { seededRandom } from '../../infra/local/demo/random.ts';
import { type FunctionClients, functionClients } from '../../infra/local/iam-enforcement.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { Governance } from '../../shared/ingest/admission.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, floorTo, type GranularityName, HOUR_MS } from '../../shared/time.ts';
import { comparedTotalsOf, conflictedEventIds, expectedTotals } from './expected-totals.ts';
import { crashHooks, type FaultBudget, type InstanceFate, injectFaults } from './fault-injection.ts';
import { generateSchedule, type Schedule } from './fault-schedule.ts';
import { drainLikeSqs, type RedeliveryReport } from './sqs-redelivery.ts';

export interface ScheduleEnvironment {
  readonly endpoint: string;
  readonly tableName: string;
  readonly catalog: LoadedCatalog;
  readonly governance: Governance;
  /** Reads as the query API does, with the api function's permissions. */
  readonly reader: DynamoDbMetricsStore;
  /** Waits until the counters function has applied the stream so far (see startFaultyCounting). */
  readonly settle: () => Promise<void>;
}

export interface ScheduleResult {
  readonly schedule: Schedule;
  readonly delivery: RedeliveryReport;
  readonly injected: FaultBudget['injected'];
  /** Everything that does not hold; empty when the schedule passed. */
  readonly violations: string[];
}

const logger = createLogger('fault-schedule');

/** The EventBridge envelope the ingestion queue carries, arrived on the bus at `arrivedMs`. */
const envelope = (id: string, detailType: string, detail: unknown, arrivedMs: number) =>
  JSON.stringify({
    version: '0',
    id,
    'detail-type': detailType,
    source: 'test.fault-schedule',
    account: '000000000000',
    time: new Date(arrivedMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail,
  });

/**
 * Runs one seeded schedule against DynamoDB: delivers its messages like SQS through aggregate
 * Lambda instances whose calls get seeded faults (a dead instance is replaced, as Lambda would),
 * then reads every workflow back through the query path and checks the totals are exact.
 *
 * @example
 * ```ts
 * const { violations } = await runSchedule('4711:3', environment);
 * ```
 */
export const runSchedule = async (seed: string, env: ScheduleEnvironment): Promise<ScheduleResult> => {
  const nowMs = Date.now();
  const schedule = generateSchedule(seed, nowMs);
  const random = seededRandom('delivery', seed);
  const budget: FaultBudget = {
    random: seededRandom('faults', seed),
    probability: 0.05 + random() * 0.25,
    remaining: Math.floor(random() * 6),
    injected: {},
  };
  const storeOptions = { concurrency: 1 + Math.floor(random() * 2) };
  const violations: string[] = [];
  const made: FunctionClients[] = [];
  const instance = () => {
    const fate: InstanceFate = { dead: false };
    // Its own clients per instance: faults and the death of one instance never touch another.
    const clients = functionClients('aggregate', { endpoint: env.endpoint, tableName: env.tableName });
    made.push(clients);
    injectFaults(clients.dynamodb, budget, fate);
    const store = new DynamoDbMetricsStore({
      client: clients.dynamodb,
      tableName: env.tableName,
      ...storeOptions,
      beforeWrite: crashHooks(budget, fate).beforeWrite,
    });
    const handler = createAggregateHandler({
      store,
      price: env.catalog.price,
      logger,
      governance: env.governance,
    });
    return { fate, handler };
  };
  const lanes = [instance(), instance()];
  const bodies = schedule.messages.map((m) => {
    const event = schedule.events[m.event];
    const version = event?.versions[m.version];
    const kind = version?.facts.kind ?? 'missing';
    return { messageId: m.messageId, body: envelope(`env-${m.messageId}`, kind, version?.detail, nowMs) };
  });
  let delivery: RedeliveryReport;
  try {
    delivery = await drainLikeSqs(bodies, {
      random,
      maxBatchSize: 1 + Math.floor(random() * 10),
      // Each fault fails a message's receive at most once, so the budget bounds the receives it needs.
      maxReceiveCount: budget.remaining + 2,
      maxConcurrentBatches: 2,
      invoke: async (event, lane) => {
        const running = lanes[lane] ?? instance();
        const all = new Set(event.Records.map((r) => r.messageId));
        let failed: ReadonlySet<string>;
        try {
          const response = await running.handler(event, localLambdaContext('yardstick-aggregate'));
          failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
          for (const id of failed)
            if (!all.has(id)) violations.push(`batchItemFailures names ${id}, not in the batch`);
        } catch {
          failed = all; // a failed invocation: SQS makes the whole batch visible again
        }
        if (!running.fate.dead) return failed;
        lanes[lane] = instance(); // the dead instance is replaced by a cold one
        return all;
      },
    });
  } finally {
    for (const clients of made) clients.destroy();
  }
  for (const clients of made) {
    for (const denied of clients.denied) violations.push(`AccessDenied: ${denied.message}`);
  }
  for (const message of delivery.deadLettered) {
    violations.push(`${message.messageId} dead-lettered after ${message.receiveCount} receives`);
  }
  // Counting follows recording by the stream's lag; hour buckets are applied like day buckets, and
  // reading them too costs queries.
  await env.settle();
  await checkTotals(schedule, env, { nowMs, hours: random() < 0.25 }, violations);
  return { schedule, delivery, injected: budget.injected, violations };
};

const checkTotals = async (
  schedule: Schedule,
  env: ScheduleEnvironment,
  { nowMs, hours }: { nowMs: number; hours: boolean },
  violations: string[],
) => {
  const occurred = schedule.events.flatMap((e) => e.versions.map((v) => v.facts.occurredMs));
  const fromHour = floorTo(Math.min(...occurred), HOUR_MS);
  const toHour = floorTo(nowMs, HOUR_MS) + HOUR_MS;
  for (const workflowId of schedule.workflows) {
    const allowed = expectedTotals(schedule, workflowId);
    const ranges: Array<[GranularityName, number, number]> = [
      ['day', floorTo(fromHour, DAY_MS), floorTo(nowMs, DAY_MS) + DAY_MS],
      ...(hours ? [['hour', fromHour, toHour] as [GranularityName, number, number]] : []),
    ];
    for (const [granularity, fromMs, toMs] of ranges) {
      const { totals } = await queryWorkflowMetrics(env.reader, env.catalog, {
        workflowId,
        fromMs,
        toMs,
        granularity,
      });
      const actual = comparedTotalsOf(totals);
      if (!allowed.some((expected) => JSON.stringify(expected) === JSON.stringify(actual))) {
        violations.push(
          `${workflowId} (${granularity}): got ${JSON.stringify(actual)}; expected ${allowed.map((e) => JSON.stringify(e)).join(' or ')}`,
        );
      }
    }
    const recorded = [
      ...new Set((await env.reader.listConflicts(workflowId, 100)).map((c) => c.eventId)),
    ].sort();
    const conflicted = conflictedEventIds(schedule, workflowId);
    if (JSON.stringify(recorded) !== JSON.stringify(conflicted)) {
      violations.push(`${workflowId}: conflicts recorded for [${recorded}], expected [${conflicted}]`);
    }
  }
};
