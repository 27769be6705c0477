import { createCountersHandler } from '../../functions/counters/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
import { repairOverwrites } from '../../shared/store/dynamodb/conflict-repair.ts';
import { CounterApplier, type CounterApplierOptions } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbAuditLog } from '../../shared/store/dynamodb/dynamodb-audit-log.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import type { createTestTable } from './dynamodb.ts';

/**
 * A store whose every call first waits until the stream has been applied to the counters: a reader
 * on AWS sees counts after the stream's lag, a test waits for it explicitly.
 *
 * @example
 * ```ts
 * const reader = settledFirst(new DynamoDbMetricsStore({ client, tableName }), counting);
 * ```
 */
export const settledFirst = <S extends object>(store: S, counting: Pick<Counting, 'settle'>): S =>
  new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await counting.settle();
        return value.apply(target, args);
      };
    },
  });

type TestTable = Awaited<ReturnType<typeof createTestTable>>;

export interface Counting {
  readonly applier: CounterApplier;
  readonly poller: StreamPoller;
  /** Every event recorded so far has been counted. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The counters function on a test table, fed by its stream as local mode and Lambda feed it, with
 * the function's own permissions. Tests that record events through the store directly `settle()`
 * before they read counters, as they would wait for the stream's lag on AWS.
 *
 * @example
 * ```ts
 * const counting = startCounting(table);
 * await store.ingest(events);
 * await counting.settle();
 * ```
 */
export const startCounting = (
  table: TestTable,
  options: Partial<Omit<CounterApplierOptions, 'client' | 'tableName'>> = {},
): Counting => {
  const clients = table.clientsOf('counters');
  const applier = new CounterApplier({ client: clients.dynamodb, tableName: table.tableName, ...options });
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
    logger: createLogger('test-counters'),
  });
  const poller = new StreamPoller({
    client: clients.dynamodbStreams,
    streamArn: table.streamArn,
    consumer: (event) => handler(event, localLambdaContext('test-counters')),
    idleMs: 5,
  });
  poller.start();
  return { applier, poller, settle: () => poller.settle(), stop: () => poller.stop() };
};
