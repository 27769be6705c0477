import { gunzipSync, gzipSync } from 'node:zlib';
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { YardstickError } from '../../errors.ts';
import type { DigestArchive, StoredDigest } from '../digest-archive.ts';

export interface DynamoDbDigestArchiveOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** A digest whose compressed renderings still exceed DynamoDB's 400 KB item limit. */
export class DigestTooLargeError extends YardstickError {
  constructor(week: string, bytes: number) {
    super(`digest ${week} is ${bytes} bytes compressed; a DynamoDB item holds at most 400 KB`);
  }
}

// Leaves room under the 400 KB item limit for keys, attribute names and the recipient list.
const MAX_PAYLOAD_BYTES = 350 * 1024;

/**
 * Keeps each week's digest in the metrics table (pk `DIGEST`, sk `{week}`). The renderings are
 * gzipped into one binary attribute: HTML compresses about tenfold, so even a large fleet stays far
 * under the item limit, and a digest that would not is refused loudly rather than truncated.
 *
 * @example
 * ```ts
 * const archive = new DynamoDbDigestArchive({ client, tableName: 'yardstick' });
 * await archive.get('2026-W47');
 * ```
 */
export class DynamoDbDigestArchive implements DigestArchive {
  constructor(private readonly options: DynamoDbDigestArchiveOptions) {}

  async put(digest: StoredDigest): Promise<void> {
    const payload = gzipSync(JSON.stringify({ json: digest.json, html: digest.html, text: digest.text }));
    if (payload.byteLength > MAX_PAYLOAD_BYTES)
      throw new DigestTooLargeError(digest.week, payload.byteLength);
    await this.options.client.send(
      new PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          pk: { S: 'DIGEST' },
          sk: { S: digest.week },
          generatedAt: { S: digest.generatedAt },
          payload: { B: payload },
          ...(digest.sentTo ? { sentTo: { S: JSON.stringify(digest.sentTo) } } : {}),
        },
      }),
    );
  }

  async get(week: string): Promise<StoredDigest | undefined> {
    const { Item: item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: 'DIGEST' }, sk: { S: week } },
        ConsistentRead: true,
      }),
    );
    if (!item?.payload?.B || !item.generatedAt?.S) return undefined;
    const body = JSON.parse(gunzipSync(item.payload.B).toString('utf8')) as Pick<
      StoredDigest,
      'json' | 'html' | 'text'
    >;
    return {
      week,
      generatedAt: item.generatedAt.S,
      ...body,
      ...(item.sentTo?.S ? { sentTo: JSON.parse(item.sentTo.S) as string[] } : {}),
    };
  }
}
