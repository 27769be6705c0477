import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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
 * queue.send(JSON.stringify(envelope));
 * await queue.drain(); // every message handled or dead-lettered
 * ```
 */
export class LocalQueue {
  readonly stats: LocalQueueStats = { sent: 0, invocations: 0, redelivered: 0, deadLettered: 0 };
  readonly deadLetters: Message[] = [];
  private readonly options: Required<Omit<LocalQueueOptions, 'onConsumerError'>> &
    Pick<LocalQueueOptions, 'onConsumerError'>;
  private readonly ready: Message[] = [];
  private inFlight = 0;
  private delayed = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(options: LocalQueueOptions) {
    this.options = {
      batchSize: 100,
      batchWindowMs: 200,
      concurrency: 2,
      maxReceiveCount: 5,
      visibilityTimeoutMs: 500,
      queueName: 'yardstick-ingest',
      ...options,
    };
  }

  send(body: string): void {
    this.stats.sent++;
    this.enqueue({ messageId: randomUUID(), body, sentAt: Date.now(), receiveCount: 0 });
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

  close(): void {
    this.closed = true;
    if (this.windowTimer) clearTimeout(this.windowTimer);
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
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.pump(
          this.ready.length >= this.options.batchSize || this.idleWaiters.length > 0 || !this.windowTimer,
        );
        this.notifyIfIdle();
      });
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
      if (!failedIds.has(message.messageId)) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.stats.deadLettered++;
        this.deadLetters.push(message);
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
    return this.ready.length === 0 && this.inFlight === 0 && this.delayed === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
