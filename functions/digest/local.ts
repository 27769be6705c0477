import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { endpointOf, functionClients } from '../../infra/local/iam-enforcement.ts';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { FunctionPermissionSet } from '../../shared/config/permissions.ts';
import { OutboxDigestSender } from '../../shared/digest/outbox-sender.ts';
import { type DigestRun, runDigest } from '../../shared/digest/run.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';

export interface LocalDigestOptions {
  /**
   * A client of the table's endpoint. The digest does not use it directly: it runs with clients of
   * its own on the same endpoint, limited to the digest function's IAM actions, as on AWS.
   */
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
  /** @default FunctionPermissions.digest; tests narrow it to prove refusals */
  readonly permissions?: FunctionPermissionSet;
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
export const runLocalDigest = async (options: LocalDigestOptions): Promise<DigestRun> => {
  const dataDir = options.dataDir ?? process.env.YARDSTICK_DATA_DIR ?? '.yardstick';
  const { tableName } = options;
  const digest = functionClients('digest', {
    endpoint: await endpointOf(options.client),
    tableName,
    permissions: options.permissions,
  });
  const client = digest.dynamodb;
  try {
    return await runDigest(
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
  } finally {
    digest.destroy();
  }
};
