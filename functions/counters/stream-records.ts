import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OverwrittenEvent } from '../../shared/store/dynamodb/conflict-repair.ts';
import type { StreamedEvent } from '../../shared/store/dynamodb/counter-applier.ts';
import { RECORDED_PREFIX } from '../../shared/store/dynamodb/keys.ts';
import { acceptedFromRecordedItem } from '../../shared/store/dynamodb/recorded-event-codec.ts';

/** A stream record that carries no readable recorded event, with why (logged, never counted). */
export interface SkippedRecord {
  readonly sequenceNumber: string;
  readonly reason: string;
}

export interface StreamBatch {
  /** INSERTs of recorded events: what is counted. */
  readonly inserted: StreamedEvent[];
  /** MODIFYs of recorded events: another delivery overwrote one (see conflict-repair.ts). */
  readonly overwritten: OverwrittenEvent[];
  readonly skipped: SkippedRecord[];
}

type Image = Record<string, AttributeValue>;

/**
 * Sorts a stream batch: INSERTs of `RAW#` items are counted, MODIFYs of them are repaired, and the
 * rest is not counting input (TTL deletions, the table's other items). The stack's event filter drops
 * the rest before the function is invoked; this check keeps local mode and a misconfigured mapping
 * equally safe.
 *
 * @example
 * ```ts
 * const { inserted, overwritten } = streamBatchOf(dynamoDbStreamEvent.Records);
 * ```
 */
export const streamBatchOf = (records: readonly DynamoDBRecord[]): StreamBatch => {
  const batch: StreamBatch = { inserted: [], overwritten: [], skipped: [] };
  for (const record of records) {
    const newImage = record.dynamodb?.NewImage as Image | undefined;
    const oldImage = record.dynamodb?.OldImage as Image | undefined;
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    const recordedPk = newImage?.pk?.S;
    if (!newImage || !recordedPk?.startsWith(RECORDED_PREFIX)) continue;
    if (record.eventName === 'MODIFY' && oldImage) {
      batch.overwritten.push({ oldImage, newImage });
    } else if (record.eventName === 'INSERT') {
      try {
        batch.inserted.push({
          sequenceNumber,
          recordedPk,
          accepted: acceptedFromRecordedItem(newImage, sequenceNumber),
        });
      } catch (error) {
        batch.skipped.push({ sequenceNumber, reason: (error as Error).message });
      }
    }
  }
  return batch;
};
