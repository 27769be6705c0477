import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import { OutboxDigestSender } from '../../shared/digest/outbox-sender.ts';
import { type DigestRun, runDigest } from '../../shared/digest/run.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';

export interface LocalDigestOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly catalog: LoadedCatalog;
  /** The outbox is `<dataDir>/outbox`. @default YARDSTICK_DATA_DIR or `.yardstick` */
  readonly dataDir?: string;
  /** @default the last full ISO week */
  readonly week?: string;
  readonly nowMs?: number;
  /** Write the outbox again for a week already sent. @default false */
  readonly resend?: boolean;
}

/**
 * The digest function as local mode runs it: same build and archive as on AWS, but "sent" to
 * `<dataDir>/outbox/<week>.{html,txt,json}` instead of SES.
 *
 * @example
 * ```ts
 * const { digest } = await runLocalDigest({ client: local.client, tableName: local.tableName, catalog });
 * console.log(digest.text);
 * ```
 */
export const runLocalDigest = (options: LocalDigestOptions): Promise<DigestRun> => {
  const dataDir = options.dataDir ?? process.env.YARDSTICK_DATA_DIR ?? '.yardstick';
  const { client, tableName } = options;
  return runDigest(
    {
      store: new DynamoDbMetricsStore({ client, tableName }),
      archive: new DynamoDbDigestArchive({ client, tableName }),
      sender: new OutboxDigestSender(join(dataDir, 'outbox')),
      catalog: options.catalog,
    },
    {
      nowMs: options.nowMs ?? Date.now(),
      resend: options.resend ?? false,
      ...(options.week ? { week: options.week } : {}),
    },
  );
};
