import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Functions } from '../../shared/config/functions.ts';
import { COUNTERS_STREAM_FILTER } from '../../shared/store/dynamodb/stream-filter.ts';
import { YardstickFunction } from './function.ts';
import { queueEncryption } from './ingestion.ts';
import type { Store } from './store.ts';

/** Function timeout of the counters function: one batch of up to 1,000 records, with retries inside. */
export const COUNTERS_TIMEOUT = Duration.seconds(60);

/**
 * How the counters function reads the table's stream. Every setting serves one rule: a recorded event
 * is counted once, and never skipped.
 */
export const COUNTERS_STREAM_READING = {
  // From the oldest record the stream holds: a mapping created after the first writes, or re-created,
  // still counts them (applying is idempotent, so records counted before are no-ops).
  startingPosition: lambda.StartingPosition.TRIM_HORIZON,
  // DynamoDB's most per invocation: one counter update per counter item and write shard per batch, so
  // bigger batches mean fewer writes on hot counter items.
  batchSize: 1000,
  // Waits up to a second to fill a batch: counts trail recording by about that much.
  maxBatchingWindow: Duration.seconds(1),
  // Unlimited (-1, until the record leaves the stream after 24 hours): a skipped batch is counts lost
  // for good, since the aggregate function has already recorded its events and will not record them
  // again. A failing batch blocks its shard instead, which the lag alarm reports.
  retryAttempts: -1,
  // Split batches would be retried as halves out of order with the rest of the shard; the applier
  // resumes a retried batch itself (applied-through per counter item and write shard).
  bisectBatchOnError: false,
  // One batch per stream shard at a time. Counting a batch moves each counter item's "applied
  // through" sequence number for the batch's write shard (`RAW#{workflowId}#{shard}`, one partition
  // key), and skips what lies below it. With more than one batch per shard Lambda keeps order only per
  // item (partition *and* sort key), and every recorded event is its own item: a later batch of the
  // same write shard could be applied first and the earlier one skipped as already applied. Throughput
  // comes from the write shards, which spread over stream shards instead.
  parallelizationFactor: 1,
} as const;

export interface CountingProps {
  readonly store: Store;
  /** Absolute path of a validated catalog to bundle. @default - none */
  readonly catalogFile?: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - SQS-managed SSE on the failed-batch queue */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Counting: the table's stream → the counters function, which applies each recorded event to the
 * counters idempotently. The stream is filtered to recorded events (`COUNTERS_STREAM_FILTER`, the
 * same pattern local mode's stream poller applies); a batch Lambda gives up on (only when its records
 * expire from the stream) is described on an encrypted SQS queue.
 *
 * @example
 * ```ts
 * const counting = new Counting(this, 'Counting', {
 *   store, logRetention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
 * });
 * counting.counters.function; // the counters function
 * ```
 */
export class Counting extends Construct {
  readonly counters: YardstickFunction<'counters'>;
  /** Where Lambda describes a batch it discarded (shard, sequence numbers): counts that are missing. */
  readonly failedBatchQueue: sqs.Queue;
  readonly streamMapping: lambda.EventSourceMapping;

  constructor(scope: Construct, id: string, props: CountingProps) {
    super(scope, id);
    const key = props.encryptionKey;

    this.counters = new YardstickFunction(this, 'Counters', {
      functionName: Functions.counters,
      entry: 'functions/counters/index.ts',
      description: 'Yardstick: applies recorded events from the table stream to the counters, idempotently',
      timeout: COUNTERS_TIMEOUT,
      memorySize: 1024,
      catalogFile: props.catalogFile,
      settings: { tableName: props.store.table.tableName },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: key,
    });
    props.store.grant(this.counters.role, Functions.counters);
    props.store.grantStreamRead(this.counters.role, Functions.counters);

    this.failedBatchQueue = new sqs.Queue(this, 'FailedBatches', {
      retentionPeriod: Duration.days(14),
      // A destination of last resort (CT.SQS.PR.1 asks every queue for a DLQ or to be one).
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
      enforceSSL: true,
      ...queueEncryption(key),
    });
    // cdk-nag recognises a DLQ only by another queue's redrive policy; this one is the stream mapping's.
    Validations.of(this.failedBatchQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        "The failed-batch queue is a dead-letter queue: the on-failure destination of the counters function's stream mapping, which cdk-nag cannot see (it looks for a queue's redrive policy). It declares itself one with RedriveAllowPolicy.",
    });

    // Declared as a mapping rather than a `DynamoEventSource`, whose bind grants dynamodb:ListStreams on
    // "*": the stream actions are granted above, on the stream's ARN only.
    this.streamMapping = this.counters.function.addEventSourceMapping('Stream', {
      eventSourceArn: props.store.streamArn,
      ...COUNTERS_STREAM_READING,
      onFailure: new FailedBatchDestination(this.failedBatchQueue, key),
      // The shared pattern as is: Lambda's filter syntax is EventBridge's.
      filters: [lambda.FilterCriteria.filter(structuredClone(COUNTERS_STREAM_FILTER))],
    });
  }
}

/**
 * The failed-batch queue as an on-failure destination, granting the function role what sending takes
 * by name (`SqsDlq` grants `kms:ReEncrypt*` and `kms:GenerateDataKey*`, wildcard actions).
 */
class FailedBatchDestination implements lambda.IEventSourceDlq {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey | undefined,
  ) {}

  bind(_mapping: lambda.IEventSourceMapping, handler: lambda.IFunction): lambda.DlqDestinationConfig {
    iam.Grant.addToPrincipal({
      grantee: handler,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.queue.queueArn],
    });
    this.key?.grant(handler, 'kms:Decrypt', 'kms:GenerateDataKey');
    return { destination: this.queue.queueArn };
  }
}
