import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTERS_TIMEOUT } from '../../infra/constructs/counting.ts';
import { type EventPattern, matchesEventPattern } from '../../infra/local/event-pattern.ts';
import { Yardstick } from '../../infra/yardstick.ts';
import { Keys } from '../../shared/store/dynamodb/keys.ts';
import { COUNTERS_STREAM_FILTER, STREAM_VIEW_TYPE } from '../../shared/store/dynamodb/stream-filter.ts';
import { environmentOf, NO_BUNDLING, onlyResource, resourcesOf, tempOutdir } from './synth.ts';

// The mapping is configuration: asset bundling is skipped (stack.test.ts covers the bundles).
let stack: Stack;
let yardstick: Yardstick;
let template: Template;

beforeAll(() => {
  // Prepare + Act
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  stack = new Stack(app, 'Counting');
  yardstick = new Yardstick(stack, 'Yardstick', { digest: { enabled: false } });
  template = Template.fromStack(stack);
  // The first synth in a worker also loads aws-cdk-lib's modules: slow on a loaded machine.
}, 120_000);

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

const streamMapping = () => {
  const tableId = logicalIdOf(yardstick.table);
  const found = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (mapping) =>
      JSON.stringify(mapping.Properties?.EventSourceArn) ===
      JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] }),
  );
  if (found.length !== 1) throw new Error(`expected one mapping on the table stream, found ${found.length}`);
  return found[0]?.Properties ?? {};
};

const streamPattern = (): EventPattern => {
  const filters = (streamMapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
  expect(filters).toHaveLength(1);
  return JSON.parse(filters[0]?.Pattern ?? 'null') as EventPattern;
};

// A stream record as Lambda filters it (the filter sees the record, not the function's event).
const streamRecord = (eventName: string, pk: string) => ({
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: 'evt-1' } }, SequenceNumber: '100' },
});

describe('the metrics table stream', () => {
  it('carries new and old images', () => {
    // Act
    const table = onlyResource(template, 'AWS::DynamoDB::Table').properties;
    // Assess
    expect(STREAM_VIEW_TYPE).toBe('NEW_AND_OLD_IMAGES');
    expect(table.StreamSpecification).toEqual({ StreamViewType: STREAM_VIEW_TYPE });
  });
});

describe('the counters event source mapping', () => {
  it('reads from the oldest record, 1,000 at a time within a second, one batch per shard, retrying forever', () => {
    // Act
    const mapping = streamMapping();
    // Assess
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 1,
      MaximumRetryAttempts: -1,
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 1,
      FunctionName: { Ref: logicalIdOf(yardstick.counting.counters.function) },
    });
    // No record age limit (infinite by default): a record is only given up when the stream drops it.
    expect(mapping.MaximumRecordAgeInSeconds).toBeUndefined();
    // Failing a part of a batch would let the rest move past it.
    expect(mapping.FunctionResponseTypes).toBeUndefined();
  });

  it('filters with exactly the shared pattern local mode applies', () => {
    // Act
    const pattern = streamPattern();
    // Assess
    expect(pattern).toEqual(COUNTERS_STREAM_FILTER);
  });

  it('lets through inserted and modified recorded events, and nothing else of the table', () => {
    // Prepare
    const pattern = streamPattern();
    const recorded = Keys.recorded('invoice-triage', 'evt-1', 4).pk;
    // Act
    const passes = (eventName: string, pk: string) =>
      matchesEventPattern(pattern, streamRecord(eventName, pk));
    // Assess
    expect(passes('INSERT', recorded)).toBe(true);
    expect(passes('MODIFY', recorded)).toBe(true);
    // TTL deletions of recorded events, and the counters' own writes (no loop through the stream).
    expect(passes('REMOVE', recorded)).toBe(false);
    expect(passes('MODIFY', Keys.counters('invoice-triage'))).toBe(false);
    expect(passes('INSERT', Keys.registry('invoice-triage').pk)).toBe(false);
  });

  it('describes a batch it gives up on to an encrypted, TLS-only queue that pages', () => {
    // Prepare
    const queueId = logicalIdOf(yardstick.counting.failedBatchQueue);
    // Act
    const destination = (streamMapping().DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
    const queue = resourcesOf(template, 'AWS::SQS::Queue')[queueId]?.Properties;
    const policy = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).find((p) =>
      JSON.stringify(p.Properties?.Queues).includes(`"${queueId}"`),
    );
    const alarm = yardstick.alarms.byName.failedStreamBatches;
    // Assess
    expect(destination).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(queue?.SqsManagedSseEnabled).toBe(true);
    expect(queue?.MessageRetentionPeriod).toBe(14 * 86_400);
    expect(JSON.stringify(policy?.Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    expect(alarm).toBeDefined();
    const rendered = template.toJSON().Resources[logicalIdOf(alarm as NonNullable<typeof alarm>)].Properties;
    expect(JSON.stringify(rendered.Dimensions ?? rendered.Metrics)).toContain(queueId);
    expect(rendered).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });
});

describe('the counters function', () => {
  it('has a 60 s timeout, 1 GB, and only the table name among its settings', () => {
    // Act
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[
      logicalIdOf(yardstick.counting.counters.function)
    ];
    // Assess
    expect(COUNTERS_TIMEOUT.toSeconds()).toBe(60);
    expect(fn?.Properties).toMatchObject({ Timeout: 60, MemorySize: 1024 });
    expect(environmentOf(fn).TABLE_NAME).toEqual({ Ref: logicalIdOf(yardstick.table) });
    expect(environmentOf(fn).POWERTOOLS_SERVICE_NAME).toBe('yardstick-counters');
  });
});
