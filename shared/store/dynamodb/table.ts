import { STREAM_VIEW_TYPE } from './stream-filter.ts';

/**
 * The single-table layout, shared by the CDK stack and local mode so both create the same table.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | counters per hour / day (an hour's also carry its users sketch: `userHashes` or `sketch`, `usersVersion`) | `WF#{workflowId}` | `H#2026-11-23T10` / `D#2026-11-23` |
 * | a named variant's counters per hour / day (none for `default`: totals minus the named ones) | `WF#{workflowId}` | `V#{variant}#H#{hour}` / `V#{variant}#D#{day}` |
 * | distinct-users sketch per day (`UH#{hour}` items are no longer written) | `WF#{workflowId}` | `UD#2026-11-23` |
 * | fleet rollup per ISO week: a workflow's week totals, users sketch, named variants' weeks | `FLEET#{week}#{fleetShard}` | `{workflowId}` / `{workflowId}#U` / `{workflowId}#V#{variant}` |
 * | recorded event (the dedupe key; its stream record feeds the counters) | `RAW#{workflowId}#{writeShard}` | `{eventId}` |
 * | workflow registry (with the reason codes and variants kept by name) | `WORKFLOWS` | `{workflowId}` |
 * | new workflow ids admitted per day | `WORKFLOWS_NEW` | `D#{day}` |
 * | override audit trail: a stream batch's counted overrides of one hour, in chunks (override-trail.ts) | `OVR#{workflowId}` | `{occurredAt}#{eventId}` of the chunk's earliest override |
 * | override audit trail, one item per override (tables deployed before chunks; still read) | `OVR#{workflowId}` | `{occurredAt}#{eventId}` |
 * | quarantine, by arrival / once per id | `QUAR#{day}` | `T#{receivedAt}#{id}` / `ID#{id}` |
 * | conflicts | `CONFLICT#{workflowId}` | `{eventId}#{fingerprint}` |
 * | pipeline health | `PIPELINE` | `D#{day}` |
 */
export const TableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLive: 'expiresAt',
} as const;

export const DEFAULT_TABLE_NAME = 'yardstick';

/** CreateTable input for local mode and tests (the CDK stack declares the same keys and stream). */
export const tableDefinition = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  AttributeDefinitions: [
    { AttributeName: TableKeys.partitionKey, AttributeType: 'S' as const },
    { AttributeName: TableKeys.sortKey, AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' as const },
  ],
});
