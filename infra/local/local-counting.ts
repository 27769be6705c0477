import { assembleCounters } from '../../functions/counters/wiring.ts';
import type { CounterApplier, CounterApplierOptions } from '../../shared/store/dynamodb/counter-applier.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import type { FunctionClients } from './iam-enforcement.ts';
import { localLambdaContext } from './lambda-context.ts';
import { StreamPoller } from './stream-poller.ts';

export interface LocalCountingOptions {
  /** The counters function's clients (its role's permissions). */
  readonly clients: Pick<FunctionClients, 'dynamodb' | 'dynamodbStreams'>;
  readonly tableName: string;
  readonly streamArn: string;
  readonly now?: () => number;
  /** Options of the applier; tests inject crashes here. */
  readonly applier?: Partial<Omit<CounterApplierOptions, 'client' | 'tableName'>>;
  /** @default 20 */
  readonly idleMs?: number;
}

export interface LocalCounting {
  readonly applier: CounterApplier;
  readonly poller: StreamPoller;
  /** Every event recorded before the call has been counted. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The counters function as local mode runs it: the same handler as on AWS, fed by the table's stream
 * through {@link StreamPoller} (Lambda's event source mapping). Local mode, `yardstick import` and the
 * tests start it; several may run on one table at once, since applying is idempotent.
 *
 * @example
 * ```ts
 * const counting = startLocalCounting({ clients: functionClients('counters', { endpoint, tableName }), tableName, streamArn });
 * await counting.settle();
 * ```
 */
export const startLocalCounting = (options: LocalCountingOptions): LocalCounting => {
  const { clients, tableName } = options;
  const logger = createLogger('yardstick-counters');
  const { applier, handler } = assembleCounters({
    client: clients.dynamodb,
    tableName,
    logger,
    now: options.now,
    applier: options.applier,
  });
  const poller = new StreamPoller({
    client: clients.dynamodbStreams,
    streamArn: options.streamArn,
    consumer: (event) => handler(event, localLambdaContext('yardstick-counters')),
    idleMs: options.idleMs,
    onError: (error) => logger.error('counters invocation failed', { error: error as Error }),
  });
  poller.start();
  return { applier, poller, settle: () => poller.settle(), stop: () => poller.stop() };
};
