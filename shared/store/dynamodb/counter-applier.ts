import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type Counters, emptyCounters, mergeCounters } from '../../metrics/counters.ts';
import { overrideRecordOf } from '../override-record.ts';
import type { AcceptedEvent } from '../port.ts';
import { counterUpdate, SKETCH_VERSION } from './counter-codec.ts';
import { counterItemsOf } from './counter-items.ts';
import { hourSketchChange } from './hour-sketch.ts';
import { Keys } from './keys.ts';
import { type CountedOverride, overrideTrailItems } from './override-trail.ts';
import { runPool } from './pool.ts';
import { NO_STORED_SKETCH, SketchCache, storedSketchOf } from './sketch-cache.ts';
import { SketchWriter } from './sketch-writer.ts';
import { CounterApplyError } from './store-errors.ts';

/** A recorded event as the table's stream delivered it. */
export interface StreamedEvent {
  /** The stream record's sequence number: ordered within the event's write shard. */
  readonly sequenceNumber: string;
  /** The partition it was recorded in (`RAW#{workflowId}#{shard}`): its write shard. */
  readonly recordedPk: string;
  readonly accepted: AcceptedEvent;
}

export interface CounterApplierOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Counter updates in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Attempts for a counter update that finds its shard's sequence number moved. @default 6 */
  readonly maxAttempts?: number;
  /** Hook run before each counter update; tests inject crashes here. */
  readonly beforeUpdate?: (index: number) => void | Promise<void>;
  /** Hook run after the counters, before the sketches and the override trail; tests inject crashes here. */
  readonly beforeSketchMerge?: () => void | Promise<void>;
}

/** What one batch cost, for benchmarks and logs. */
export interface ApplyStats {
  updates: number;
  /** Updates that found part of their events applied already (a redelivered batch). */
  resumed: number;
  otherWrites: number;
}

// Sequence numbers are decimal strings of up to 40 digits: padded, they compare as strings, which is
// what a condition expression can do (a DynamoDB number keeps only 38 digits).
const SEQUENCE_WIDTH = 40;
export const paddedSequence = (sequenceNumber: string): string =>
  sequenceNumber.padStart(SEQUENCE_WIDTH, '0');

interface Contribution {
  readonly sequence: string;
  readonly delta: Counters;
  readonly event: StreamedEvent;
}

/** A recorded event one of whose counter updates DynamoDB refused for its content (e.g. a number overflow). */
export interface RefusedCount {
  readonly event: StreamedEvent;
  readonly message: string;
}

interface CounterTarget {
  readonly pk: string;
  readonly sk: string;
  readonly workflowId: string;
  readonly appliedThrough: string;
  /** The item carries its hour's users sketch (counter-items.ts), merged in the same update. */
  readonly carriesUsers: boolean;
  readonly contributions: Contribution[];
}

/**
 * Applies recorded events, as the table's stream delivers them, to the counter items: one `UpdateItem`
 * per counter item and write shard per batch, adding the batch's summed deltas and moving the item's
 * "applied through" sequence number for that shard in the same write. The condition that the stored
 * number is below the batch's first makes a redelivered batch a no-op; when a retry's batch overlaps
 * what was applied, only the events past the stored number are added. Nothing is transactional: each
 * counter item is idempotent on its own, so a crash between two updates loses and doubles nothing.
 * An hour's totals item also carries the hour's distinct-users sketch, merged in that same update
 * under a version check (see {@link hourSketchChange}), so its users count exactly once with it.
 *
 * Then the users are merged into the day and fleet-week sketches (idempotent: registers only grow)
 * and counted overrides written to the audit trail (idempotent puts of per-hour chunks, override-trail.ts).
 *
 * @example
 * ```ts
 * const applier = new CounterApplier({ client, tableName: 'yardstick' });
 * await applier.apply(streamedEvents);
 * ```
 */
export class CounterApplier {
  readonly stats: ApplyStats = { updates: 0, resumed: 0, otherWrites: 0 };
  private readonly sketches: SketchWriter;
  /** The hour sketches this applier last wrote or saw in its counter items: merged from without a read. */
  private readonly hourSketches = new SketchCache();

  constructor(private readonly options: CounterApplierOptions) {
    this.sketches = new SketchWriter({
      client: options.client,
      tableName: options.tableName,
      maxAttempts: options.maxAttempts ?? 6,
      concurrency: options.concurrency,
      onWrite: () => this.stats.otherWrites++,
    });
  }

  /**
   * Applies a batch; returns the events DynamoDB refused to count (isolated one by one, so that the
   * rest of the batch counts and the stream moves on: the caller quarantines them `store_rejected`).
   */
  async apply(events: readonly StreamedEvent[]): Promise<RefusedCount[]> {
    const refused: RefusedCount[] = [];
    const targets = new Map<string, CounterTarget>();
    for (const streamed of events) {
      const { sequenceNumber, recordedPk, accepted } = streamed;
      const appliedThrough = Keys.appliedThrough(recordedPk);
      for (const item of counterItemsOf(accepted)) {
        const id = `${item.id}|${appliedThrough}`;
        let target = targets.get(id);
        if (!target) {
          const { workflowId } = accepted.event.detail;
          const carriesUsers = item.carriesUsers ?? false;
          target = { pk: item.pk, sk: item.sk, workflowId, appliedThrough, carriesUsers, contributions: [] };
          targets.set(id, target);
        }
        target.contributions.push({
          sequence: paddedSequence(sequenceNumber),
          delta: accepted.delta,
          event: streamed,
        });
      }
    }
    // An hour item's updates from several write shards of one batch run one after the other: each
    // merges into the sketch the previous one wrote, where in parallel all but one would be refused.
    const lanes = new Map<string, { target: CounterTarget; index: number }[]>();
    for (const [index, target] of [...targets.values()].entries()) {
      const lane = target.carriesUsers ? `${target.pk}|${target.sk}` : `${index}`;
      const queued = lanes.get(lane);
      if (queued) queued.push({ target, index });
      else lanes.set(lane, [{ target, index }]);
    }
    await runPool([...lanes.values()], this.options.concurrency ?? 8, async (lane) => {
      for (const { target, index } of lane) {
        await this.options.beforeUpdate?.(index);
        const sorted = [...target.contributions].sort((a, b) => (a.sequence < b.sequence ? -1 : 1));
        await this.update(target, sorted, refused);
      }
    });
    await this.options.beforeSketchMerge?.();
    const accepted = events.map((e) => e.accepted);
    await this.sketches.mergeUsers(accepted);
    await this.writeOverrideTrail(accepted, refused);
    return refused;
  }

  /**
   * Writes the batch's counted overrides to the audit trail: one item per chunk of a (workflow, hour)'s
   * entries, not one per override (a few write units a batch instead of one per review).
   */
  private async writeOverrideTrail(accepted: readonly AcceptedEvent[], refused: readonly RefusedCount[]) {
    const refusedEvents = new Set(refused.map((r) => r.event.accepted.event));
    const counted: CountedOverride[] = [];
    for (const { event } of accepted) {
      if (event.kind !== 'ai.workflow.override' || refusedEvents.has(event)) continue;
      counted.push({
        workflowId: event.detail.workflowId,
        record: overrideRecordOf(event.detail, event.source),
      });
    }
    await runPool(overrideTrailItems(counted), this.options.concurrency ?? 8, async (item) => {
      this.stats.otherWrites++;
      await this.options.client.send(new PutItemCommand({ TableName: this.options.tableName, Item: item }));
    });
  }

  /**
   * Adds `contributions` (in sequence order) to one counter item. A refusal of the content is split
   * until the event to blame stands alone; that event's part is left out and the item's sequence
   * number still moves past it, so the stream never stalls on it.
   */
  private async update(
    target: CounterTarget,
    contributions: readonly Contribution[],
    refused: RefusedCount[],
  ): Promise<void> {
    try {
      await this.updateOnce(target, contributions);
    } catch (error) {
      if ((error as Error)?.name !== 'ValidationException') throw error;
      if (contributions.length === 1) {
        const [only] = contributions as [Contribution];
        refused.push({ event: only.event, message: (error as Error).message });
        await this.updateOnce(target, [{ ...only, delta: emptyCounters() }]);
        return;
      }
      const middle = Math.ceil(contributions.length / 2);
      await this.update(target, contributions.slice(0, middle), refused);
      await this.update(target, contributions.slice(middle), refused);
    }
  }

  /**
   * One conditional `UpdateItem` adding `contributions`, retried with what the refusal returns
   * (ALL_OLD): past a stored applied-through number only the later contributions (and their users)
   * are added (a redelivery); against a newer hour sketch the users are merged into it again (a
   * concurrent counters invocation of another write shard won the race).
   */
  private async updateOnce(target: CounterTarget, contributions: readonly Contribution[]): Promise<void> {
    let pending = [...contributions];
    let stored: string | undefined;
    const sketchId = `${target.pk}|${target.sk}`;
    let base = target.carriesUsers ? (this.hourSketches.get(sketchId) ?? NO_STORED_SKETCH) : undefined;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const delta = pending.reduce((sum, c) => mergeCounters(sum, c.delta), emptyCounters());
      const first = (pending[0] as Contribution).sequence;
      const last = (pending.at(-1) as Contribution).sequence;
      const sketch = base && hourSketchChange(base, delta.users);
      const update = counterUpdate(
        delta,
        { workflowId: { S: target.workflowId }, [target.appliedThrough]: { S: last }, ...sketch?.set },
        sketch?.remove,
      );
      const applied =
        stored === undefined ? '(attribute_not_exists(#applied) OR #applied < :first)' : '#applied = :stored';
      try {
        this.stats.updates++;
        await this.options.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: target.pk }, sk: { S: target.sk } },
            ...update,
            ConditionExpression: sketch ? `${applied} AND ${sketch.condition}` : applied,
            ExpressionAttributeNames: {
              ...update.ExpressionAttributeNames,
              ...sketch?.names,
              '#applied': target.appliedThrough,
            },
            ExpressionAttributeValues: {
              ...update.ExpressionAttributeValues,
              ...sketch?.values,
              ...(stored === undefined ? { ':first': { S: first } } : { ':stored': { S: stored } }),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        if (sketch) this.hourSketches.remember(sketchId, sketch.next);
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const through = error.Item?.[target.appliedThrough]?.S;
        const appliedHeld =
          stored === undefined ? through === undefined || through < first : through === stored;
        const found = base && storedSketchOf(error.Item, SKETCH_VERSION);
        const versionHeld = !sketch || found?.version === base?.version;
        if ((!appliedHeld && through === undefined) || (appliedHeld && versionHeld))
          throw new CounterApplyError(
            `${target.pk}/${target.sk}: update refused, and the stored item shows neither a redelivery nor a race (applied-through number unreadable)`,
          );
        if (attempt >= (this.options.maxAttempts ?? 6))
          throw new CounterApplyError(
            `${target.pk}/${target.sk}: applied-through number or users sketch still moving after ${attempt} attempts`,
          );
        if (found) {
          // Another writer's sketch (or what this applier's cache missed): merge into it next time.
          base = found;
          this.hourSketches.remember(sketchId, found);
        }
        if (!appliedHeld) {
          // Part of the batch was applied before (a redelivery): add only what came after it.
          this.stats.resumed++;
          stored = through;
          pending = pending.filter((c) => c.sequence > (through as string));
        }
      }
    }
  }
}
