import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** One message of an SQS standard queue, as the redelivery loop tracks it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
}

export interface RedeliveryOptions {
  /** Decides batch sizes, which messages a receive returns and where failed ones reappear. */
  readonly random: () => number;
  /** @default 5 */
  readonly maxBatchSize?: number;
  /** Receives before a message is dead-lettered, like the queue's redrive policy. */
  readonly maxReceiveCount: number;
  /** Invocations run at once (concurrent Lambda instances). @default 1 */
  readonly maxConcurrentBatches?: number;
  /**
   * One invocation on Lambda instance `lane`; resolves with the message ids SQS makes visible again:
   * the response's batchItemFailures, or the whole batch when the invocation failed or died.
   */
  readonly invoke: (event: SQSEvent, lane: number) => Promise<ReadonlySet<string>>;
}

export interface RedeliveryReport {
  invocations: number;
  redelivered: number;
  readonly deadLettered: QueuedMessage[];
}

/** An SQS record of the ingestion queue carrying `body`, on its `receiveCount`-th receive. */
export const sqsRecordOf = (message: QueuedMessage): SQSRecord => ({
  messageId: message.messageId,
  receiptHandle: `${message.messageId}#${message.receiveCount}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(Date.now()),
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(message.body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:yardstick-ingest',
  awsRegion: 'us-east-1',
});

const takeRandom = <T>(items: T[], random: () => number): T =>
  items.splice(Math.floor(random() * items.length), 1)[0] as T;

/**
 * Delivers messages as an SQS standard queue and a Lambda event source mapping would: batches of
 * random size in no particular order, only the reported failures made visible again (at a random
 * place, as after a visibility timeout), and a message dead-lettered after `maxReceiveCount`
 * receives. Resolves once the queue is empty.
 *
 * @example
 * ```ts
 * const report = await drainLikeSqs(bodies, { random, maxReceiveCount: 10, invoke });
 * expect(report.deadLettered).toEqual([]);
 * ```
 */
export const drainLikeSqs = async (
  messages: ReadonlyArray<{ readonly messageId: string; readonly body: string }>,
  options: RedeliveryOptions,
): Promise<RedeliveryReport> => {
  const queue: QueuedMessage[] = messages.map((m) => ({ ...m, receiveCount: 0 }));
  const report: RedeliveryReport = { invocations: 0, redelivered: 0, deadLettered: [] };
  const maxBatchSize = options.maxBatchSize ?? 5;
  while (queue.length > 0) {
    const lanes = 1 + Math.floor(options.random() * (options.maxConcurrentBatches ?? 1));
    const batches: QueuedMessage[][] = [];
    for (let lane = 0; lane < lanes && queue.length > 0; lane++) {
      const size = 1 + Math.floor(options.random() * maxBatchSize);
      const batch: QueuedMessage[] = [];
      while (batch.length < size && queue.length > 0) batch.push(takeRandom(queue, options.random));
      batches.push(batch);
    }
    const failed = await Promise.all(
      batches.map((batch, lane) => {
        for (const message of batch) message.receiveCount++;
        report.invocations++;
        return options.invoke({ Records: batch.map(sqsRecordOf) }, lane);
      }),
    );
    batches.forEach((batch, lane) => {
      for (const message of batch) {
        if (!failed[lane]?.has(message.messageId)) continue;
        if (message.receiveCount >= options.maxReceiveCount) {
          report.deadLettered.push(message);
          continue;
        }
        report.redelivered++;
        queue.splice(Math.floor(options.random() * (queue.length + 1)), 0, message);
      }
    });
  }
  return report;
};
