import { assembleCounters } from '../../functions/counters/wiring.ts';
import { type FunctionClients, functionClients } from '../../infra/local/iam-enforcement.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
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
    const { handler } = assembleCounters({
      client: clients.dynamodb,
      tableName: table.tableName,
      logger,
      applier: { beforeUpdate: hooks.beforeUpdate, beforeSketchMerge: hooks.beforeSketchMerge },
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
