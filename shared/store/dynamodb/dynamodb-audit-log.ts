import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  AuditLog,
  ConflictEntry,
  OverrideRecord,
  PipelineCounts,
  QuarantineEntry,
  QuarantinePage,
  QuarantinePageRequest,
} from '../port.ts';
import { readQuarantinePage, writeQuarantine } from './dynamodb-quarantine.ts';
import { Keys } from './keys.ts';
import { listOverrideTrail } from './override-trail-query.ts';
import { queryAll, queryRange } from './query-pages.ts';

export interface DynamoDbAuditLogOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Quarantined bodies live this long. @default 14 */
  readonly quarantineTtlDays?: number;
  readonly now?: () => number;
  readonly onWrite?: () => void;
}

const CONFLICT_TTL_DAYS = 90;

/**
 * The DynamoDB adapter of {@link AuditLog}: quarantined events by arrival day, conflicts per workflow,
 * and the approximate pipeline health counters. (The override trail is written by the counters function,
 * see override-trail.ts, and only read here.)
 *
 * @example
 * ```ts
 * const audit = new DynamoDbAuditLog({ client, tableName });
 * const { entries, nextToken } = await audit.listQuarantine('2026-11-23', { limit: 100 });
 * ```
 */
export class DynamoDbAuditLog implements AuditLog {
  private readonly now: () => number;

  constructor(private readonly options: DynamoDbAuditLogOptions) {
    this.now = options.now ?? Date.now;
  }

  private expiresAt(days: number) {
    return String(Math.floor(this.now() / 1000) + days * 86_400);
  }

  private async put(item: Record<string, AttributeValue>) {
    this.options.onWrite?.();
    await this.options.client.send(new PutItemCommand({ TableName: this.options.tableName, Item: item }));
  }

  async quarantine(entries: readonly QuarantineEntry[]): Promise<void> {
    const { client, tableName, onWrite } = this.options;
    const expiresAt = this.expiresAt(this.options.quarantineTtlDays ?? 14);
    await writeQuarantine({ client, tableName, expiresAt, ...(onWrite ? { onWrite } : {}) }, entries);
  }

  async recordConflicts(entries: readonly ConflictEntry[]): Promise<void> {
    const expiresAt = this.expiresAt(CONFLICT_TTL_DAYS);
    await Promise.all(
      entries.map((entry) => {
        const key = Keys.conflict(entry.workflowId, entry.eventId, entry.conflictingFingerprint);
        return this.put({
          pk: { S: key.pk },
          sk: { S: key.sk },
          workflowId: { S: entry.workflowId },
          eventId: { S: entry.eventId },
          firstFingerprint: { S: entry.firstFingerprint },
          conflictingFingerprint: { S: entry.conflictingFingerprint },
          detectedAt: { S: entry.detectedAt },
          expiresAt: { N: expiresAt },
        });
      }),
    );
  }

  async recordPipeline(day: string, counts: PipelineCounts): Promise<void> {
    const key = Keys.pipeline(day);
    const entries = Object.entries(counts).filter(([, value]) => value > 0);
    if (entries.length === 0) return;
    this.options.onWrite?.();
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          entries.map(([, value], i) => [`:c${i}`, { N: String(value) }]),
        ),
      }),
    );
  }

  listOverrides(
    workflowId: string,
    fromIso: string,
    toIso: string,
    limit: number,
  ): Promise<OverrideRecord[]> {
    return listOverrideTrail(this.options.client, this.options.tableName, workflowId, fromIso, toIso, limit);
  }

  listQuarantine(day: string, page: QuarantinePageRequest): Promise<QuarantinePage> {
    const nowSeconds = Math.floor(this.now() / 1000);
    return readQuarantinePage(this.options.client, this.options.tableName, nowSeconds, day, page);
  }

  async listConflicts(workflowId: string, limit: number): Promise<ConflictEntry[]> {
    const items = await queryAll(
      this.options.client,
      this.options.tableName,
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: Keys.conflict(workflowId, '', '').pk } },
      },
      limit,
    );
    return items.map((item) => ({
      workflowId,
      eventId: item.eventId?.S ?? '',
      firstFingerprint: item.firstFingerprint?.S ?? '',
      conflictingFingerprint: item.conflictingFingerprint?.S ?? '',
      detectedAt: item.detectedAt?.S ?? '',
    }));
  }

  async readPipeline(fromDay: string, toDayExclusive: string) {
    const pk = Keys.pipeline(fromDay);
    const items = await queryRange(
      this.options.client,
      this.options.tableName,
      pk.pk,
      Keys.pipeline(fromDay).sk,
      Keys.pipeline(toDayExclusive).sk,
    );
    const n = (item: Record<string, AttributeValue>, name: string) => Number(item[name]?.N ?? 0);
    return items.map((item) => ({
      day: (item.sk?.S ?? '').slice(2),
      received: n(item, 'received'),
      counted: n(item, 'counted'),
      duplicates: n(item, 'duplicates'),
      conflicts: n(item, 'conflicts'),
      quarantined: n(item, 'quarantined'),
    }));
  }
}
