import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { overridePosition } from '../override-record.ts';
import type { OverrideRecord } from '../port.ts';
import { Keys, overrideHourOf } from './keys.ts';
import { overrideRecordsOfItem } from './override-trail.ts';

interface Listed {
  /** Where it sorts: {@link overridePosition}. */
  readonly position: string;
  readonly record: OverrideRecord;
}

const inOrder = (found: ReadonlyMap<string, Listed>): Listed[] =>
  [...found.values()].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));

/**
 * True when no item after `lastSk` can hold one of the first `limit` overrides: every item is keyed by
 * the earliest position it holds (per-event items by their one), so an unread item, keyed after
 * `lastSk`, holds only overrides that sort after it.
 */
const settled = (found: ReadonlyMap<string, Listed>, limit: number, lastSk: string): boolean => {
  if (found.size < limit) return false;
  const last = inOrder(found)[limit - 1] as Listed;
  return lastSk >= last.position;
};

/**
 * A workflow's counted overrides with `fromIso ≤ {occurredAt}#{eventId} < toIso`, in that order, at
 * most `limit`: the bounds and order of the per-event items the trail was before chunks, whose sort
 * key that was. Reads from the hour of `fromIso` on (a chunk holds one hour, and may begin before
 * `fromIso` in it), per-event items left by tables deployed before chunks too, keeping one entry per
 * eventId (a re-split batch may have written it twice), and stops once the first `limit` are settled.
 *
 * @example
 * ```ts
 * const overrides = await listOverrideTrail(client, 'yardstick', 'invoice-triage', from, to, 500);
 * ```
 */
export const listOverrideTrail = async (
  client: DynamoDBClient,
  tableName: string,
  workflowId: string,
  fromIso: string,
  toIso: string,
  limit: number,
  /** Items per Query page; unset, DynamoDB's 1 MB pages (tests set it to end pages mid-hour). */
  pageItems?: number,
): Promise<OverrideRecord[]> => {
  if (limit <= 0 || !(fromIso < toIso)) return [];
  const found = new Map<string, Listed>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': { S: Keys.overrides(workflowId) },
          ':from': { S: overrideHourOf(fromIso) },
          ':to': { S: toIso },
        },
        ExclusiveStartKey: startKey,
        ...(pageItems === undefined ? {} : { Limit: pageItems }),
      }),
    );
    for (const item of page.Items ?? []) {
      for (const record of overrideRecordsOfItem(item)) {
        const position = overridePosition(record);
        if (position < fromIso || position >= toIso || found.has(record.eventId)) continue;
        found.set(record.eventId, { position, record });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey && !settled(found, limit, startKey.sk?.S ?? ''));
  return inOrder(found)
    .slice(0, limit)
    .map((listed) => listed.record);
};
