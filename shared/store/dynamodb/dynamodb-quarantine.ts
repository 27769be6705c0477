import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { QuarantineEntry, QuarantinePage, QuarantinePageRequest } from '../port.ts';
import { quarantineAfter, quarantinePage, quarantinePosition } from '../quarantine-page.ts';
import { Keys } from './keys.ts';

type Item = Record<string, AttributeValue>;

export interface QuarantineTableDependencies {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Epoch seconds after which an item is expired (TTL deletes lag, so reads filter too). */
  readonly expiresAt: string;
  readonly onWrite?: () => void;
}

const toItem = (entry: QuarantineEntry, expiresAt: string): Item => {
  const key = Keys.quarantine(entry.receivedAt.slice(0, 10), quarantinePosition(entry));
  const item: Item = {
    pk: { S: key.pk },
    sk: { S: key.sk },
    id: { S: entry.id },
    receivedAt: { S: entry.receivedAt },
    code: { S: entry.rejection.code },
    message: { S: entry.rejection.message },
    body: { S: entry.body },
    expiresAt: { N: expiresAt },
  };
  for (const field of ['detailType', 'source', 'workflowId', 'eventId'] as const) {
    const value = entry[field];
    if (value) item[field] = { S: value };
  }
  if (entry.rejection.field) item.field = { S: entry.rejection.field };
  return item;
};

const alreadyQuarantined = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';

/**
 * Writes each entry once per day: the listing item is keyed by arrival time (so a day reads newest
 * first), and a marker keyed by the entry's id, written in the same transaction only if absent,
 * keeps a re-send or redelivery from listing the same event twice.
 *
 * @example
 * ```ts
 * await writeQuarantine({ client, tableName, expiresAt: '1795000000' }, entries);
 * ```
 */
export const writeQuarantine = async (
  deps: QuarantineTableDependencies,
  entries: readonly QuarantineEntry[],
): Promise<void> => {
  // Two copies of one event in a batch would race for the same marker: the first one is kept.
  const firstById = new Map<string, QuarantineEntry>();
  for (const entry of entries) if (!firstById.has(entry.id)) firstById.set(entry.id, entry);
  await Promise.all(
    [...firstById.values()].map(async (entry) => {
      const marker = Keys.quarantineMarker(entry.receivedAt.slice(0, 10), entry.id);
      deps.onWrite?.();
      await deps.client
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: deps.tableName,
                  Item: { pk: { S: marker.pk }, sk: { S: marker.sk }, expiresAt: { N: deps.expiresAt } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: deps.tableName, Item: toItem(entry, deps.expiresAt) } },
            ],
          }),
        )
        .catch((error: unknown) => {
          if (!alreadyQuarantined(error)) throw error;
        });
    }),
  );
};

const fromItem = (item: Item): QuarantineEntry => ({
  id: item.id?.S ?? '',
  receivedAt: item.receivedAt?.S ?? '',
  rejection: {
    code: (item.code?.S ?? 'invalid_field') as QuarantineEntry['rejection']['code'],
    message: item.message?.S ?? '',
    ...(item.field?.S ? { field: item.field.S } : {}),
  },
  body: item.body?.S ?? '',
  ...(item.detailType?.S ? { detailType: item.detailType.S } : {}),
  ...(item.source?.S ? { source: item.source.S } : {}),
  ...(item.workflowId?.S ? { workflowId: item.workflowId.S } : {}),
  ...(item.eventId?.S ? { eventId: item.eventId.S } : {}),
});

/**
 * One page of a day's quarantine, newest first: the listing items read backwards from the token's
 * position (its `ExclusiveStartKey`), skipping items TTL has not deleted yet.
 *
 * @example
 * ```ts
 * const { entries, nextToken } = await readQuarantinePage(client, tableName, nowSeconds, '2026-11-23', { limit: 100 });
 * ```
 */
export const readQuarantinePage = async (
  client: DynamoDBClient,
  tableName: string,
  nowSeconds: number,
  day: string,
  request: QuarantinePageRequest,
): Promise<QuarantinePage> => {
  const after = quarantineAfter(request);
  // The listing items share a prefix; the markers of the same partition do not.
  const { pk, sk: listed } = Keys.quarantine(day, '');
  const start = after === undefined ? undefined : Keys.quarantine(day, after);
  const entries: QuarantineEntry[] = [];
  let ExclusiveStartKey: Item | undefined = start && { pk: { S: start.pk }, sk: { S: start.sk } };
  // One more than the page, to know whether another page follows.
  const wanted = request.limit + 1;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :listed)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':listed': { S: listed } },
        ScanIndexForward: false,
        Limit: wanted - entries.length,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) > nowSeconds) entries.push(fromItem(item));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && entries.length < wanted);
  return quarantinePage(entries, request.limit);
};
