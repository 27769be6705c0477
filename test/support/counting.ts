import { type LocalCounting, startLocalCounting } from '../../infra/local/local-counting.ts';
import type { CounterApplierOptions } from '../../shared/store/dynamodb/counter-applier.ts';
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

export type Counting = LocalCounting;

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
): Counting =>
  startLocalCounting({
    clients: table.clientsOf('counters'),
    tableName: table.tableName,
    streamArn: table.streamArn,
    applier: options,
    idleMs: 5,
  });
