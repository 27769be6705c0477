import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FunctionConfig } from '../../shared/config/variables.ts';
import { repairOverwrites } from '../../shared/store/dynamodb/conflict-repair.ts';
import { CounterApplier, type CounterApplierOptions } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbAuditLog } from '../../shared/store/dynamodb/dynamodb-audit-log.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createCountersHandler } from './handler.ts';

export interface CountersParts {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Options of the applier; tests inject crashes here. */
  readonly applier?: Partial<Omit<CounterApplierOptions, 'client' | 'tableName'>>;
}

/**
 * The counters handler over one DynamoDB client: the applier, the audit log it quarantines and
 * records conflicts in, and the repair of overwritten events. Lambda (below), local mode and the
 * tests build it here, so all three run the same function.
 *
 * @example
 * ```ts
 * const { applier, handler } = assembleCounters({ client, tableName: 'yardstick', logger });
 * ```
 */
export const assembleCounters = (parts: CountersParts) => {
  const { client, tableName, now } = parts;
  const applier = new CounterApplier({ client, tableName, ...parts.applier });
  const audit = new DynamoDbAuditLog({ client, tableName, now });
  const handler = createCountersHandler({
    apply: (events) => applier.apply(events),
    quarantine: (entries) => audit.quarantine(entries),
    repair: (overwritten) =>
      repairOverwrites(overwritten, {
        client,
        tableName,
        now,
        recordConflicts: (c) => audit.recordConflicts(c),
      }),
    logger: parts.logger,
    now,
  });
  return { applier, handler };
};

/**
 * The counters handler and its AWS dependencies, from the settings `index.ts` read at cold start.
 *
 * @example
 * ```ts
 * const handler = wireCounters(readFunctionConfig('counters', process.env));
 * ```
 */
export const wireCounters = (config: FunctionConfig<'counters'>) =>
  assembleCounters({
    client: new DynamoDBClient({}),
    tableName: config.tableName,
    logger: createLogger(config.serviceName),
  }).handler;
