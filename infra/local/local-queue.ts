import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { YardstickError } from '../../shared/errors.ts';
import type { DeadLetterFile } from './dead-letter-file.ts';
import type { QueueJournal } from './queue-journal.ts';

/** Defaults of the local queue, documented in docs/local-mode.md. */
export const LocalQueueDefaults = {
  /** Messages held at once (queued, waiting for a retry or in flight); beyond it PutEvents is throttled. */
  maxMessages: 10_000,
} as const;

/** The queue holds `maxMessages` already; the events endpoint answers ThrottlingException. */
export class QueueFullError extends YardstickError {
  constructor(held: number, limit: number) {
    super(`The local queue holds ${held} of at most ${limit} messages; retry with backoff.`);
  }
}

/** The queue was closed (local mode is stopping); nothing more is accepted. */
export class QueueClosedError extends YardstickError {
  constructor() {
    super('The local queue is closed: local mode is stopping.');
  }
}

export interface LocalQueueOptions {
  /** Messages per invocation, like the SQS event source's batch size. @default 100 */
  readonly batchSize?: number;
  /** How long a partial batch waits for more messages. @default 200 */
  readonly batchWindowMs?: number;
  /** Invocations in flight at once (the event source's maximum concurrency). @default 2 */
  readonly concurrency?: number;
  /** Receives before a message moves to the dead-letter list. @default 5 */
  readonly maxReceiveCount?: number;
  /** Delay before a failed message is visible again. @default 500 */
  readonly visibilityTimeoutMs?: number;
  readonly queueName?: string;
  /** Bound on messages held at once. @default 10_000 (`LocalQueueDefaults.maxMessages`) */
  readonly maxMessages?: number;
  /** Persists messages before `sendAll` resolves and recovers them on the next start; in memory when absent. */
  readonly journal?: QueueJournal;
  /** Where dead-lettered messages are kept; in memory only when absent. */
  readonly deadLetterFile?: DeadLetterFile;
  readonly consumer: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  readonly onConsumerError?: (error: unknown) => void;
}

interface Message {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
}

export interface LocalQueueStats {
  sent: number;
  /** Messages found in the journal at start: acknowledged before a stop or crash, not yet done. */
  recovered: number;
  /** Messages finished: handled by the consumer or dead-lettered. */
  done: number;
  /** Most messages held at once: never above `maxMessages`. */
  peakPending: number;
  invocations: number;
  redelivered: number;
  deadLettered: number;
}

/**
 * An in-process stand-in for SQS feeding a Lambda event source mapping: batches by size and window,
 * redelivers what a handler reports in `batchItemFailures` (or the whole batch when it throws), and
 * moves a message to the dead-letter list after `maxReceiveCount` receives.
 *
 * @example
 * ```ts
 * const queue = new LocalQueue({ consumer: (event) => aggregate(event, context) });
 * await queue.sendAll([JSON.stringify(envelope)]); // journaled: safe to acknowledge
 * await queue.drain(); // every message handled or dead-lettered
 * ```
 */
export class LocalQueue {
  readonly stats: LocalQueueStats = {
    sent: 0,
    recovered: 0,
    done: 0,
    peakPending: 0,
    invocations: 0,
    redelivered: 0,
    deadLettered: 0,
  };
  readonly deadLetters: Message[] = [];
  private readonly options: Required<
    Omit<LocalQueueOptions, 'onConsumerError' | 'journal' | 'deadLetterFile'>
  > &
    Pick<LocalQueueOptions, 'onConsumerError' | 'journal' | 'deadLetterFile'>;
  private readonly ready: Message[] = [];
  private inFlight = 0;
  /** Messages held in any state, plus those reserved by a `sendAll` still writing its journal. */
  private held = 0;
  private delayed = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private readonly running = new Set<Promise<void>>();

  constructor(options: LocalQueueOptions) {
    this.options = {
      batchSize: 100,
      batchWindowMs: 200,
      concurrency: 2,
      maxReceiveCount: 5,
      visibilityTimeoutMs: 500,
      queueName: 'yardstick-ingest',
      maxMessages: LocalQueueDefaults.maxMessages,
      ...options,
    };
    for (const message of options.journal?.recovered ?? []) {
      this.stats.recovered++;
      this.held++;
      this.enqueue({ ...message, receiveCount: 0 });
    }
  }

  /**
   * Takes every body or none: refuses with {@link QueueFullError} when they do not fit under the
   * bound, and resolves only once they are in the journal, so the caller may then acknowledge them.
   */
  async sendAll(bodies: readonly string[]): Promise<void> {
    if (this.closed) throw new QueueClosedError();
    if (bodies.length === 0) return;
    if (this.held + bodies.length > this.options.maxMessages) {
      throw new QueueFullError(this.held, this.options.maxMessages);
    }
    this.held += bodies.length; // reserved now, so concurrent requests cannot overshoot the bound
    this.stats.peakPending = Math.max(this.stats.peakPending, this.held);
    const sentAt = Date.now();
    const messages = bodies.map((body) => ({ messageId: randomUUID(), body, sentAt, receiveCount: 0 }));
    try {
      await this.options.journal?.append(messages);
    } catch (error) {
      this.held -= bodies.length;
      this.notifyIfIdle();
      throw error;
    }
    this.stats.sent += messages.length;
    for (const message of messages) this.enqueue(message);
  }

  /** Messages held in any state: queued, waiting for a retry, or in flight. */
  get pending(): number {
    return this.held;
  }

  /** Resolves once nothing is queued, delayed or in flight; flushes a waiting partial batch now. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.pump(true);
    return idle;
  }

  get depth(): number {
    return this.ready.length + this.delayed;
  }

  get oldestMessageAgeMs(): number {
    const oldest = this.ready[0];
    return oldest ? Date.now() - oldest.sentAt : 0;
  }

  /**
   * Stops delivering and waits for the batches in flight; what is still held stays in the journal
   * for the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.windowTimer) clearTimeout(this.windowTimer);
    await Promise.allSettled([...this.running]);
    this.notifyIfIdle();
    await this.options.journal?.close();
  }

  private enqueue(message: Message): void {
    this.ready.push(message);
    if (this.ready.length >= this.options.batchSize || this.idleWaiters.length > 0) this.pump(true);
    else if (!this.windowTimer) {
      this.windowTimer = setTimeout(() => {
        this.windowTimer = undefined;
        this.pump(true);
      }, this.options.batchWindowMs);
    }
  }

  private pump(flushPartial: boolean): void {
    while (!this.closed && this.inFlight < this.options.concurrency && this.ready.length > 0) {
      if (!flushPartial && this.ready.length < this.options.batchSize) return;
      const batch = this.ready.splice(0, this.options.batchSize);
      this.inFlight++;
      const delivery = this.deliver(batch).finally(() => {
        this.running.delete(delivery);
        this.inFlight--;
        this.pump(
          this.ready.length >= this.options.batchSize || this.idleWaiters.length > 0 || !this.windowTimer,
        );
        this.notifyIfIdle();
      });
      this.running.add(delivery);
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    this.stats.invocations++;
    for (const message of batch) message.receiveCount++;
    let failedIds: Set<string>;
    try {
      const response = await this.options.consumer({ Records: batch.map((m) => this.toRecord(m)) });
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.options.onConsumerError?.(error);
      failedIds = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch) {
      if (!failedIds.has(message.messageId)) {
        this.finish(message);
        continue;
      }
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.stats.deadLettered++;
        // Kept in memory only without a file, so that a long session's failures cannot grow the heap.
        if (!this.options.deadLetterFile) this.deadLetters.push(message);
        this.options.deadLetterFile?.append({
          messageId: message.messageId,
          deadLetteredAt: new Date().toISOString(),
          receiveCount: message.receiveCount,
          body: message.body,
        });
        this.finish(message);
        continue;
      }
      this.stats.redelivered++;
      this.delayed++;
      setTimeout(() => {
        this.delayed--;
        if (!this.closed) this.enqueue(message);
        this.notifyIfIdle();
      }, this.options.visibilityTimeoutMs);
    }
  }

  private finish(message: Message): void {
    this.held--;
    this.stats.done++;
    this.options.journal?.markDone(message.messageId);
  }

  private toRecord(message: Message): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.queueName}`,
      awsRegion: 'local',
    };
  }

  private isIdle(): boolean {
    return this.held === 0 || (this.closed && this.inFlight === 0);
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
