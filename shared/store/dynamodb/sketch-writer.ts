import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DistinctSketch } from '../../metrics/distinct-sketch.ts';
import type { AcceptedEvent } from '../port.ts';
import { sketchAttribute } from './counter-codec.ts';
import { sketchItemsOf } from './counter-items.ts';
import { runPool } from './pool.ts';
import { SketchCache, storedSketchOf } from './sketch-cache.ts';

export interface SketchWriterOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly maxAttempts: number;
  /** Merges in flight at once: a batch of a thousand users touches hundreds of sketches. @default 8 */
  readonly concurrency?: number;
  readonly onWrite?: () => void;
}

/**
 * Merges the users of counted events into the distinct-users sketch items of their days and of their
 * weeks in the fleet rollup (`sketchItemsOf`; an hour's sketch rides in its counter item, written by
 * the counter applier).
 * DynamoDB has no "max" update, so a sketch is merged and written back under a version check. The
 * last version this writer wrote or read is kept: a merge that changes no register (returning users)
 * costs no request at all, and a change is written without a read unless another writer won.
 *
 * Merging is idempotent (a register only grows), which is why it may run again for a re-delivered
 * copy of an event already counted: that heals a crash between the counting transaction and the merge.
 *
 * @example
 * ```ts
 * const sketches = new SketchWriter({ client, tableName, maxAttempts: 6 });
 * await sketches.mergeUsers(countedEvents);
 * ```
 */
export class SketchWriter {
  private readonly cache = new SketchCache();

  constructor(private readonly options: SketchWriterOptions) {}

  async mergeUsers(events: readonly AcceptedEvent[]): Promise<void> {
    const sketches = new Map<string, { pk: string; sk: string; sketch: DistinctSketch }>();
    for (const accepted of events) {
      if (accepted.delta.users.isEmpty) continue;
      for (const { id, pk, sk } of sketchItemsOf(accepted)) {
        let entry = sketches.get(id);
        if (!entry) {
          entry = { pk, sk, sketch: new DistinctSketch() };
          sketches.set(id, entry);
        }
        entry.sketch.merge(accepted.delta.users);
      }
    }
    await runPool([...sketches.values()], this.options.concurrency ?? 8, (entry) => this.merge(entry));
  }

  private async merge(entry: { pk: string; sk: string; sketch: DistinctSketch }) {
    const { client, tableName } = this.options;
    const Key = { pk: { S: entry.pk }, sk: { S: entry.sk } };
    const id = `${entry.pk}|${entry.sk}`;
    let base = this.cache.get(id);
    for (let attempt = 1; ; attempt++) {
      if (!base) {
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }),
        );
        base = storedSketchOf(Item, 'version');
      }
      const merged = new DistinctSketch();
      merged.merge(base.sketch);
      if (!merged.merge(entry.sketch)) {
        this.cache.remember(id, base);
        return;
      }
      try {
        this.options.onWrite?.();
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...Key, ...sketchAttribute(merged), version: { N: String(base.version + 1) } },
            ConditionExpression: base.version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
            ...(base.version === 0
              ? {}
              : { ExpressionAttributeValues: { ':version': { N: String(base.version) } } }),
          }),
        );
        this.cache.remember(id, { sketch: merged, version: base.version + 1 });
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= this.options.maxAttempts)
          throw error;
        base = undefined; // someone else wrote it: read theirs and merge again
      }
    }
  }
}
