import { createCountersHandler } from '../../functions/counters/handler.ts';
import { type FunctionClients, functionClients } from '../../infra/local/iam-enforcement.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
import { repairOverwrites } from '../../shared/store/dynamodb/conflict-repair.ts';
import { CounterApplier } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbAuditLog } from '../../shared/store/dynamodb/dynamodb-audit-log.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { crashHooks, type FaultBudget, type InstanceFate, injectFaults } from './fault-injection.ts';

const logger = createLogger('fault-schedule-counters');

/**
 * The counters function on a table's stream with seeded faults in every DynamoDB call and crash
 * hook: a failed invocation is retried from the same position (as Lambda retries a stream batch),
 * and a dead instance is replaced by a cold one.
 *
 * @example
 * ```ts
 * const counting = startFaultyCounting({ endpoint, tableName, streamArn }, budget);
 * await counting.settle();
 * ```
 */
export const startFaultyCounting = (
  table: { readonly endpoint: string; readonly tableName: string; readonly streamArn: string },
  budget: FaultBudget,
) => {
  const made: FunctionClients[] = [];
  const instance = () => {
    const fate: InstanceFate = { dead: false };
    const clients = functionClients('counters', { endpoint: table.endpoint, tableName: table.tableName });
    made.push(clients);
    injectFaults(clients.dynamodb, budget, fate);
    const hooks = crashHooks(budget, fate);
    const applier = new CounterApplier({
      client: clients.dynamodb,
      tableName: table.tableName,
      beforeUpdate: hooks.beforeUpdate,
      beforeSketchMerge: hooks.beforeSketchMerge,
    });
    const audit = new DynamoDbAuditLog({ client: clients.dynamodb, tableName: table.tableName });
    const handler = createCountersHandler({
      apply: (events) => applier.apply(events),
      quarantine: (entries) => audit.quarantine(entries),
      repair: (overwritten) =>
        repairOverwrites(overwritten, {
          client: clients.dynamodb,
          tableName: table.tableName,
          recordConflicts: (entries) => audit.recordConflicts(entries),
        }),
      logger,
    });
    return { fate, handler };
  };
  let current = instance();
  // The poller reads with a fault-free client: Lambda's mapping, not the function, reads the stream.
  const reader = functionClients('counters', { endpoint: table.endpoint, tableName: table.tableName });
  made.push(reader);
  const poller = new StreamPoller({
    client: reader.dynamodbStreams,
    streamArn: table.streamArn,
    idleMs: 5,
    consumer: async (event) => {
      try {
        await current.handler(event, localLambdaContext('yardstick-counters'));
      } finally {
        if (current.fate.dead) current = instance();
      }
    },
  });
  poller.start();
  return {
    poller,
    settle: () => poller.settle(),
    /** Every refusal the functions met: their grants must cover every call, faults or not. */
    denied: () => made.flatMap((clients) => clients.denied),
    stop: async () => {
      await poller.stop();
      for (const clients of made) clients.destroy();
    },
  };
};
