import {
  type CancellationReason,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { YardstickError } from '../../errors.ts';
import { type AcceptedEvent, IngestOutcome, type IngestOutcomeName } from '../port.ts';
import { buildTransaction } from './transaction-plan.ts';

/** Cancellation reasons that mean "try again": another writer or the table's throughput, not the data. */
export const CONTENTION_REASONS: ReadonlySet<string> = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);
/** Reasons that say nothing about the item: it was cancelled because another item in the call failed. */
const INNOCENT_REASONS = new Set(['None', 'ConditionalCheckFailed']);

/** Thrown when a transaction keeps being cancelled by contention: the events are redelivered later. */
export class TransactionRetriesExhaustedError extends YardstickError {
  constructor(reasons: string) {
    super(`transaction still cancelled after retries: ${reasons}`);
  }
}

export interface GroupCommitOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Epoch seconds, or undefined to keep markers for good. */
  readonly markerExpiresAt: () => number | undefined;
  readonly maxAttempts: number;
  readonly onTransaction?: (actions: number) => void;
  readonly onCancellation?: () => void;
}

/** What became of each event of a committed group. */
export interface GroupResult {
  readonly outcomes: Map<string, IngestOutcomeName>;
  /** Events DynamoDB refused on their own (found by bisection), with DynamoDB's message. */
  readonly refused: Map<string, string>;
  /** Conflicts: the fingerprint in the existing marker (the cancellation reason's Item). */
  readonly storedFingerprints: Map<string, string>;
}

/** Full-jitter backoff before retry `attempt`, so contending writers do not collide again. */
export const backOff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

const refusalOf = (error: unknown, reasons: readonly CancellationReason[]): string | undefined => {
  if (error instanceof TransactionCanceledException) {
    const refusals = reasons.filter(
      (r) => r.Code && !INNOCENT_REASONS.has(r.Code) && !CONTENTION_REASONS.has(r.Code),
    );
    return refusals.length > 0
      ? refusals.map((r) => `${r.Code}: ${r.Message ?? 'no message'}`).join('; ')
      : undefined;
  }
  // Request-level refusals of the content (item too large, number overflow, expression limits).
  return (error as Error)?.name === 'ValidationException' ? (error as Error).message : undefined;
};

/**
 * Commits one group of events of ONE workflow as a single `TransactWriteItems`: a conditional dedupe
 * marker per event plus the group's counter deltas. Markers that already exist set their events aside
 * as duplicates or conflicts; contention is retried with jitter; a refusal of the content is bisected
 * until the offending event stands alone, so its batch-mates still count and it can be quarantined.
 *
 * @example
 * ```ts
 * const { outcomes, refused } = await commitGroup(group, { client, tableName, markerExpiresAt, maxAttempts: 6 });
 * ```
 */
export const commitGroup = async (
  group: readonly AcceptedEvent[],
  options: GroupCommitOptions,
): Promise<GroupResult> => {
  const result: GroupResult = { outcomes: new Map(), refused: new Map(), storedFingerprints: new Map() };
  await commitPart(group, options, result);
  return result;
};

const commitPart = async (
  group: readonly AcceptedEvent[],
  options: GroupCommitOptions,
  result: GroupResult,
): Promise<void> => {
  let remaining = [...group];
  for (let attempt = 1; remaining.length > 0; attempt++) {
    const { items, markerOf } = buildTransaction(options.tableName, remaining, options.markerExpiresAt());
    try {
      options.onTransaction?.(items.length);
      await options.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      for (const accepted of remaining) result.outcomes.set(accepted.ref, IngestOutcome.counted);
      return;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (error instanceof TransactionCanceledException) options.onCancellation?.();
      const counted = new Set<AcceptedEvent>();
      reasons.forEach((reason, i) => {
        const accepted = markerOf[i];
        if (reason.Code !== 'ConditionalCheckFailed' || !accepted) return;
        counted.add(accepted);
        const stored = reason.Item?.fingerprint?.S;
        const conflict = stored !== undefined && stored !== accepted.fingerprint;
        result.outcomes.set(accepted.ref, conflict ? IngestOutcome.conflict : IngestOutcome.duplicate);
        if (conflict) result.storedFingerprints.set(accepted.ref, stored);
      });
      remaining = remaining.filter((accepted) => !counted.has(accepted));
      if (counted.size > 0) continue; // the rest was cancelled only because of them: try it again now

      const refusal = refusalOf(error, reasons);
      if (refusal !== undefined) {
        if (remaining.length === 1) {
          result.refused.set((remaining[0] as AcceptedEvent).ref, refusal);
          return;
        }
        const middle = Math.ceil(remaining.length / 2);
        await commitPart(remaining.slice(0, middle), options, result);
        await commitPart(remaining.slice(middle), options, result);
        return;
      }
      const contended = reasons.some((r) => r.Code !== undefined && CONTENTION_REASONS.has(r.Code));
      if (!contended) throw error;
      if (attempt >= options.maxAttempts) {
        throw new TransactionRetriesExhaustedError(reasons.map((r) => r.Code ?? 'None').join(','));
      }
      await backOff(attempt);
    }
  }
};
