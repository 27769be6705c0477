import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { COUNTERS_STREAM_FILTER } from '../../shared/store/dynamodb/stream-filter.ts';
import { type EventPattern, matchesEventPattern } from './event-pattern.ts';

export interface StreamPollerOptions {
  /** The consuming function's streams client (its role's permissions, as Lambda's mapping uses). */
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  /** The function, invoked with Lambda's event shape; a throw retries the same records. */
  readonly consumer: (event: DynamoDBStreamEvent) => Promise<void>;
  /** Records per invocation at most. @default 1000 */
  readonly batchSize?: number;
  /** First pause between polls of a quiet stream; it doubles while the stream stays quiet. @default 20 */
  readonly idleMs?: number;
  /**
   * Longest pause between polls of a quiet stream (Lambda polls a shard about four times a second).
   * {@link StreamPoller.settle} and {@link StreamPoller.nudge} cut a pause short.
   * @default 500
   */
  readonly maxIdleMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface StreamPollerStats {
  invocations: number;
  records: number;
  retries: number;
}

interface ShardState {
  iterator?: string;
  /** The last sequence number the consumer succeeded on: where a fresh iterator starts. */
  checkpoint?: string;
  /** The iterator was just taken: a trimmed position now means the records themselves are gone. */
  fresh?: boolean;
  done: boolean;
  parent?: string;
}

/** What a poll of a shard returns when it had to replace its iterator and read nothing. */
const REPOSITIONED = -1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pause that {@link Alarm.ring} ends early. */
class Alarm {
  private wake?: () => void;

  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.ring(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  ring(): void {
    this.wake?.();
  }
}

/**
 * Local mode's stand-in for Lambda's DynamoDB Streams event source mapping: polls every shard of the
 * table's stream (a parent before its children), invokes the consumer with the records that pass the
 * stack's filter, in order, and retries a failed batch from the same position until it succeeds, as
 * Lambda does. Positions are kept in memory: after a restart it reads from the trim horizon again,
 * which the consumer's idempotence (per counter item and write shard) makes harmless.
 *
 * @example
 * ```ts
 * const poller = new StreamPoller({ client, streamArn, consumer: (event) => counters(event, context) });
 * poller.start();
 * await poller.settle(); // every record written so far has been consumed
 * ```
 */
export class StreamPoller {
  readonly stats: StreamPollerStats = { invocations: 0, records: 0, retries: 0 };
  private readonly shards = new Map<string, ShardState>();
  private running = false;
  private loop?: Promise<void>;
  private round = 0;
  private readonly waiters: Array<{ afterRound: number; resolve: () => void }> = [];
  private readonly stallWaiters: Array<() => void> = [];
  private consecutiveFailures = 0;
  private rediscover = true;
  private readonly alarm = new Alarm();
  private quietRounds = 0;

  constructor(private readonly options: StreamPollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Resolves once every record written before this call has been consumed: after a round of polls
   * that began after the call and read every shard up to its tip (fewer records than a full batch).
   */
  settle(): Promise<void> {
    const settled = new Promise<void>((resolve) => this.waiters.push({ afterRound: this.round, resolve }));
    this.nudge();
    return settled;
  }

  /**
   * Polls now rather than after the current pause: a writer that just recorded events calls it, so
   * that a quiet stream's long pauses add no lag to counting (local mode's aggregate function does).
   */
  nudge(): void {
    this.quietRounds = 0;
    this.alarm.ring();
  }

  /**
   * Like {@link settle}, but gives up (resolving false) once a batch has failed `attempts` times in a
   * row: for shutting down while the consumer keeps failing (Lambda would keep retrying it; the
   * records stay in the stream and are consumed on the next start).
   */
  async settleUnlessStalled(attempts = 3): Promise<boolean> {
    return new Promise((resolve) => {
      this.settle().then(() => resolve(true));
      const check = () => {
        if (!this.running || this.consecutiveFailures >= attempts) resolve(false);
        else this.stallWaiters.push(check);
      };
      check();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.alarm.ring();
    await this.loop;
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
    for (const waiter of this.stallWaiters.splice(0)) waiter();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = ++this.round;
      let consumed = 0;
      let atTip = true;
      try {
        // Shards change only when one closes (DynamoDB rolls them over every few hours): look again
        // then, and now and again, rather than on every poll.
        if (this.rediscover || started % 100 === 1) await this.discoverShards();
        this.rediscover = false;
        for (const [shardId, state] of this.shards) {
          if (state.done) continue;
          if (state.parent && this.shards.get(state.parent)?.done === false) {
            atTip = false; // a child waits for its parent: not caught up yet
            continue;
          }
          const read = await this.pollShard(shardId, state);
          // A replaced iterator read nothing yet: the shard is not known to be caught up.
          if (read === REPOSITIONED) atTip = false;
          else {
            consumed += read;
            if (read >= (this.options.batchSize ?? 1000)) atTip = false;
          }
        }
      } catch (error) {
        if ((error as Error)?.name === 'ResourceNotFoundException') {
          // The table (and its stream) is gone: nothing is left to consume, ever.
          this.running = false;
          for (const waiter of this.waiters.splice(0)) waiter.resolve();
          for (const waiter of this.stallWaiters.splice(0)) waiter();
          break;
        }
        this.options.onError?.(error);
        atTip = false;
        await sleep(this.options.idleMs ?? 20);
      }
      if (atTip) {
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const waiter = this.waiters[i];
          if (waiter && waiter.afterRound < started) {
            this.waiters.splice(i, 1);
            waiter.resolve();
          }
        }
      }
      if (consumed > 0) this.quietRounds = 0;
      // A waiter that arrived during this round needs another one; otherwise a quiet stream is polled
      // less and less often, so that idle pollers (one per table in the tests) leave DynamoDB alone.
      else if (this.waiters.length === 0 && this.running) await this.alarm.pause(this.idlePause());
    }
  }

  private idlePause(): number {
    const first = this.options.idleMs ?? 20;
    const longest = Math.max(first, this.options.maxIdleMs ?? 500);
    return Math.min(longest, first * 2 ** Math.min(this.quietRounds++, 16));
  }

  private async discoverShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.options.client.send(
        new DescribeStreamCommand({
          StreamArn: this.options.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      for (const shard of StreamDescription?.Shards ?? []) this.track(shard);
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  private track(shard: Shard): void {
    if (!shard.ShardId || this.shards.has(shard.ShardId)) return;
    this.shards.set(shard.ShardId, { done: false, parent: shard.ParentShardId });
  }

  /**
   * One GetRecords on a shard and, when it returns records, one invocation; returns how many records,
   * or {@link REPOSITIONED} when the iterator had to be replaced first.
   */
  private async pollShard(shardId: string, state: ShardState): Promise<number> {
    if (!state.iterator) {
      state.iterator = await this.iteratorFor(shardId, state);
      state.fresh = true;
    }
    let response: GetRecordsCommandOutput;
    try {
      response = await this.options.client.send(
        new GetRecordsCommand({ ShardIterator: state.iterator, Limit: this.options.batchSize ?? 1000 }),
      );
    } catch (error) {
      if (error instanceof ExpiredIteratorException) {
        state.iterator = undefined;
        return REPOSITIONED;
      }
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      // DynamoDB Local numbers stream records across all its tables, so an iterator taken on an empty
      // shard points before the first record once another table's stream has written: take a fresh
      // one. Only a fresh iterator from the checkpoint that is trimmed means records past the 24-hour
      // retention are gone (Lambda then skips to the trim horizon too, and so do we).
      if (state.fresh && state.checkpoint) state.checkpoint = undefined;
      state.iterator = undefined;
      return REPOSITIONED;
    }
    state.fresh = false;
    const records = response.Records ?? [];
    const matching = records
      .map(lambdaRecordOf(this.options.streamArn))
      .filter((record) => matchesEventPattern(COUNTERS_STREAM_FILTER as unknown as EventPattern, record));
    if (matching.length > 0) {
      for (let attempt = 1; this.running; attempt++) {
        try {
          this.stats.invocations++;
          await this.options.consumer({ Records: matching });
          this.consecutiveFailures = 0;
          break;
        } catch (error) {
          this.stats.retries++;
          this.consecutiveFailures++;
          for (const waiter of this.stallWaiters.splice(0)) waiter();
          this.options.onError?.(error);
          await sleep(Math.min(1000, 10 * 2 ** attempt));
        }
      }
      if (!this.running) return records.length;
      this.stats.records += matching.length;
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) state.checkpoint = last;
    state.iterator = response.NextShardIterator;
    if (!state.iterator) {
      state.done = true;
      this.rediscover = true;
    }
    return records.length;
  }

  private async iteratorFor(shardId: string, state: ShardState): Promise<string> {
    const { ShardIterator } = await this.options.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ...(state.checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.checkpoint }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    if (!ShardIterator) throw new Error(`no iterator for shard ${shardId}`);
    return ShardIterator;
  }
}

/** A stream record in the shape Lambda hands a function (epoch seconds, the mapping's fields). */
const lambdaRecordOf =
  (streamArn: string) =>
  (record: StreamRecord): DynamoDBRecord => ({
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? record.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
    } as DynamoDBRecord['dynamodb'],
  });
