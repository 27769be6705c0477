import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFunctionConfig } from '../../shared/config/environment.ts';
import { repairOverwrites } from '../../shared/store/dynamodb/conflict-repair.ts';
import { CounterApplier } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbAuditLog } from '../../shared/store/dynamodb/dynamodb-audit-log.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { createCountersHandler } from './handler.ts';

// A bad setting fails here, at cold start, naming the variable.
const config = readFunctionConfig('counters', process.env);
const client = new DynamoDBClient({});
const { tableName } = config;
const applier = new CounterApplier({ client, tableName });
const audit = new DynamoDbAuditLog({ client, tableName });

/** Lambda entry point: dependencies from the environment the CDK stack sets. */
export const handler = createCountersHandler({
  apply: (events) => applier.apply(events),
  quarantine: (entries) => audit.quarantine(entries),
  repair: (overwritten) =>
    repairOverwrites(overwritten, { client, tableName, recordConflicts: (c) => audit.recordConflicts(c) }),
  logger: createLogger(config.serviceName),
});
