import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import type { OverwrittenEvent } from '../../shared/store/dynamodb/conflict-repair.ts';
import type { RefusedCount, StreamedEvent } from '../../shared/store/dynamodb/counter-applier.ts';
import type { ConflictEntry, QuarantineEntry } from '../../shared/store/port.ts';
import { quarantineIdOf, refusedCountEntry } from './refused-count-entry.ts';
import { streamBatchOf } from './stream-records.ts';

export interface CountersDependencies {
  /**
   * Applies a batch of recorded events to the counters, idempotently (counter-applier.ts); returns the
   * events DynamoDB refused to count.
   */
  readonly apply: (events: readonly StreamedEvent[]) => Promise<readonly RefusedCount[]>;
  /** The audit log's quarantine: refused events are kept there `store_rejected`, never silently lost. */
  readonly quarantine: (entries: readonly QuarantineEntry[]) => Promise<void>;
  /** Puts back counted versions another delivery overwrote; returns the conflicts found (conflict-repair.ts). */
  readonly repair: (overwritten: readonly OverwrittenEvent[]) => Promise<readonly ConflictEntry[]>;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Builds the counters function: batches of the table's stream in, counters out. A failed batch
 * throws, so Lambda retries it from the same position; applying is idempotent per counter item and
 * write shard, so a retry adds only what was not applied yet.
 *
 * @example
 * ```ts
 * const handler = createCountersHandler({ apply: (e) => applier.apply(e), repair, logger });
 * ```
 */
export const createCountersHandler = (deps: CountersDependencies) => {
  const now = deps.now ?? Date.now;
  const lambdaHandler = async (event: DynamoDBStreamEvent, _context: Context): Promise<void> => {
    const batch = streamBatchOf(event.Records);
    for (const record of batch.skipped) {
      deps.logger.error('stream record is not a readable recorded event; not counted', { ...record });
    }
    const refused = batch.inserted.length > 0 ? await deps.apply(batch.inserted) : [];
    if (refused.length > 0) {
      const receivedAt = new Date(now()).toISOString();
      await deps.quarantine(refused.map((r) => refusedCountEntry(r, receivedAt)));
      for (const r of refused)
        deps.logger.error('DynamoDB refused to count an event', { ...quarantineIdOf(r), reason: r.message });
    }
    if (batch.overwritten.length > 0) {
      for (const conflict of await deps.repair(batch.overwritten)) {
        deps.logger.warn('eventId reused with different content; counted once', { ...conflict });
      }
    }
    // How far counting trails recording: the age of the batch's oldest record.
    const created = event.Records.map((r) => (r.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000);
    deps.logger.debug('counters applied', {
      events: batch.inserted.length,
      lagMs: now() - Math.min(...created),
    });
  };
  return middy(lambdaHandler).use(injectLambdaContext(deps.logger));
};
