import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FunctionConfig } from '../../shared/config/variables.ts';
import { repairOverwrites } from '../../shared/store/dynamodb/conflict-repair.ts';
import { CounterApplier } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbAuditLog } from '../../shared/store/dynamodb/dynamodb-audit-log.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createCountersHandler } from './handler.ts';

/**
 * The counters handler and its AWS dependencies, from the settings `index.ts` read at cold start.
 *
 * @example
 * ```ts
 * const handler = wireCounters(readFunctionConfig('counters', process.env));
 * ```
 */
export const wireCounters = (config: FunctionConfig<'counters'>) => {
  const client = new DynamoDBClient({});
  const { tableName } = config;
  const applier = new CounterApplier({ client, tableName });
  const audit = new DynamoDbAuditLog({ client, tableName });
  return createCountersHandler({
    apply: (events) => applier.apply(events),
    quarantine: (entries) => audit.quarantine(entries),
    repair: (overwritten) =>
      repairOverwrites(overwritten, { client, tableName, recordConflicts: (c) => audit.recordConflicts(c) }),
    logger: createLogger(config.serviceName),
  });
};
