import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/** Follows `LastEvaluatedKey` until `limit` items are read or the query is exhausted. */
export const queryAll = async (
  client: DynamoDBClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName'>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < limit);
  return items.slice(0, limit);
};

/**
 * The items of one partition whose sort key is in [fromSk, toSkExclusive).
 *
 * @example
 * ```ts
 * const days = await queryRange(client, 'yardstick', 'PIPELINE', 'D#2026-11-01', 'D#2026-11-08');
 * ```
 */
export const queryRange = async (
  client: DynamoDBClient,
  tableName: string,
  pk: string,
  fromSk: string,
  toSkExclusive: string,
  limit?: number,
): Promise<Item[]> => {
  const items = await queryAll(
    client,
    tableName,
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: fromSk }, ':to': { S: toSkExclusive } },
    },
    limit,
  );
  return items.filter((item) => (item.sk?.S ?? '') < toSkExclusive);
};
