import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { WorkflowEvent } from '../../../events/schemas.ts';
import { YardstickError } from '../../errors.ts';
import type { AcceptedEvent } from '../port.ts';
import { counterAttributes, countersFromItem } from './counter-codec.ts';
import { Keys } from './keys.ts';

type Item = Record<string, AttributeValue>;

/** A stored item that is not a recorded event this version can read: skipped, never counted. */
export class UnreadableRecordedEventError extends YardstickError {}

export interface RecordedItemOptions {
  /** Epoch seconds; undefined keeps the event for good (imported history). */
  readonly expiresAt: number | undefined;
  /** The workflow's write shards (catalog `writeShards`). */
  readonly writeShards: number;
}

/**
 * The item a recorded event is stored as: the event itself (for replays and the override trail), its
 * fingerprint (to tell a duplicate from a conflict), the counter delta decided at admission (reason
 * codes already folded, cost already priced) and the user's token for the distinct-users sketch.
 * Typical events stay under 1 KB, so recording one costs one write unit.
 *
 * @example
 * ```ts
 * const item = recordedItem(accepted, { expiresAt: 1_800_000_000, writeShards: 1 });
 * ```
 */
export const recordedItem = (accepted: AcceptedEvent, options: RecordedItemOptions): Item => {
  const { workflowId, eventId } = accepted.event.detail;
  const key = Keys.recorded(workflowId, eventId, options.writeShards);
  const [user] = accepted.delta.users.tokens ?? [];
  return {
    pk: { S: key.pk },
    sk: { S: key.sk },
    fingerprint: { S: accepted.fingerprint },
    event: { S: JSON.stringify(accepted.event) },
    delta: { M: counterAttributes(accepted.delta) },
    ...(user === undefined ? {} : { user: { S: user } }),
    ...(options.expiresAt === undefined ? {} : { expiresAt: { N: String(options.expiresAt) } }),
  };
};

/**
 * Reads a recorded event back (from a stream record's new image or a query), as the accepted event
 * it was recorded from; `ref` names it for the caller.
 *
 * @example
 * ```ts
 * const accepted = acceptedFromRecordedItem(record.dynamodb.NewImage, record.dynamodb.SequenceNumber);
 * ```
 */
export const acceptedFromRecordedItem = (item: Item, ref: string): AcceptedEvent => {
  const eventJson = item.event?.S;
  const fingerprint = item.fingerprint?.S;
  const delta = item.delta?.M;
  if (eventJson === undefined || fingerprint === undefined || delta === undefined)
    throw new UnreadableRecordedEventError(`item ${item.pk?.S}/${item.sk?.S} is not a recorded event`);
  const counters = countersFromItem(delta);
  if (item.user?.S) counters.users.add(item.user.S);
  return { ref, event: JSON.parse(eventJson) as WorkflowEvent, fingerprint, delta: counters };
};
