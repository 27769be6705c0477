import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ConflictEntry } from '../port.ts';

/** A recorded event overwritten by another delivery: the stream's MODIFY record, both images. */
export interface OverwrittenEvent {
  readonly oldImage: Record<string, AttributeValue>;
  readonly newImage: Record<string, AttributeValue>;
}

/** Set on a recorded event put back by {@link repairOverwrites}, so its own MODIFY is not repaired again. */
export const RESTORED = 'restored';

export interface ConflictRepairOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly recordConflicts: (entries: readonly ConflictEntry[]) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Undoes what two deliveries racing past the recording lookup can do: a different version of an event
 * overwriting the version already counted. Counters never move on a MODIFY (only an INSERT counts), so
 * the counts are already right; this puts the counted version back (so a later copy of it is a
 * duplicate and a replay counts what was counted) and records the conflict. A MODIFY whose versions
 * share a fingerprint (a racing identical copy) or that is itself a repair changes nothing.
 *
 * @example
 * ```ts
 * await repairOverwrites(modified, { client, tableName, recordConflicts: (c) => audit.recordConflicts(c) });
 * ```
 */
export const repairOverwrites = async (
  overwritten: readonly OverwrittenEvent[],
  options: ConflictRepairOptions,
): Promise<ConflictEntry[]> => {
  const conflicts: ConflictEntry[] = [];
  for (const { oldImage, newImage } of overwritten) {
    const counted = oldImage.fingerprint?.S;
    const conflicting = newImage.fingerprint?.S;
    if (newImage[RESTORED] || !counted || !conflicting || counted === conflicting) continue;
    const event = JSON.parse(newImage.event?.S ?? '{}') as {
      detail?: { workflowId?: string; eventId?: string };
    };
    conflicts.push({
      workflowId: event.detail?.workflowId ?? '',
      eventId: event.detail?.eventId ?? newImage.sk?.S ?? '',
      firstFingerprint: counted,
      conflictingFingerprint: conflicting,
      detectedAt: new Date((options.now ?? Date.now)()).toISOString(),
    });
    try {
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: { ...oldImage, [RESTORED]: { BOOL: true } },
          // Only over the version that overwrote it: if yet another copy came since, its own MODIFY follows.
          ConditionExpression: 'fingerprint = :conflicting',
          ExpressionAttributeValues: { ':conflicting': { S: conflicting } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  if (conflicts.length > 0) await options.recordConflicts(conflicts);
  return conflicts;
};
