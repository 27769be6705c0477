import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ROW_HEIGHT } from './dashboard-workflows.ts';
import type { YardstickOpsMetrics } from './ops-metrics.ts';

/** Widget titles of the pipeline-health section (stable: tests and runbooks refer to them). */
export const PipelineWidgetTitle = {
  queue: 'Ingestion queue: backlog and age of oldest message',
  deadLetterQueue: 'Dead-letter queue: messages',
  events: 'Events: counted, duplicates, rejected, conflicts, failed writes',
  functionErrors: 'Functions: errors',
  functionThrottles: 'Functions: throttles',
  functionDuration: 'Functions: duration p99, ms',
  eventLag: 'Event lag, occurredAt to counted, ms',
  countingLag: 'Counting: stream iterator age (recorded to counted), ms',
  failedBatches: 'Counting: failed stream batches',
  deliveries: 'EventBridge: matched and failed deliveries',
  tableThrottles: 'DynamoDB: throttles and transaction conflicts',
  tableCapacity: 'DynamoDB: consumed capacity, units per second',
  api: 'Query API: requests and 5xx',
} as const;

/**
 * Pipeline health: the ingestion queue and its DLQ, the events the aggregate function counted or
 * turned away (with the rejected share), counting from the table's stream (iterator age, failed
 * batches), each function's errors, throttles and duration, EventBridge deliveries, DynamoDB throttles
 * and consumed capacity, and the query API. Parts a stack lacks (no API, no table, no counters
 * function) are left out.
 */
export const pipelineRows = (metrics: YardstickOpsMetrics): cloudwatch.IWidget[][] => {
  const graph = (width: number, props: cloudwatch.GraphWidgetProps) =>
    new cloudwatch.GraphWidget({ width, height: ROW_HEIGHT, ...props });
  const count: cloudwatch.YAxisProps = { min: 0, showUnits: false };
  const roles = metrics.functionRoles;
  const { sources } = metrics;
  const apiRequests = metrics.apiRequests();
  const apiErrors = metrics.apiServerErrors();

  const countingRow: cloudwatch.IWidget[] = [];
  if (roles.includes('counters')) {
    countingRow.push(
      graph(sources.failedBatchQueue ? 12 : 24, {
        title: PipelineWidgetTitle.countingLag,
        left: [metrics.countingLagMs()],
        leftYAxis: count,
      }),
    );
  }
  if (sources.failedBatchQueue) {
    countingRow.push(
      graph(countingRow.length > 0 ? 12 : 24, {
        title: PipelineWidgetTitle.failedBatches,
        left: [metrics.failedBatches()],
        leftYAxis: count,
      }),
    );
  }

  const lastRow: cloudwatch.IWidget[] = [];
  if (sources.ingestion) {
    lastRow.push(
      graph(6, {
        title: PipelineWidgetTitle.deliveries,
        left: [metrics.matchedEvents(), metrics.failedDeliveries()],
        leftYAxis: count,
      }),
    );
  }
  if (sources.table) {
    lastRow.push(
      graph(6, {
        title: PipelineWidgetTitle.tableThrottles,
        left: [
          metrics.tableThrottles('read'),
          metrics.tableThrottles('write'),
          metrics.tableTransactionConflicts(),
        ],
        leftYAxis: count,
      }),
      graph(6, {
        title: PipelineWidgetTitle.tableCapacity,
        left: [metrics.tableConsumedCapacity('read'), metrics.tableConsumedCapacity('write')],
        leftYAxis: count,
      }),
    );
  }
  if (apiRequests && apiErrors) {
    lastRow.push(
      graph(6, {
        title: PipelineWidgetTitle.api,
        left: [apiRequests],
        right: [apiErrors],
        leftYAxis: count,
        rightYAxis: { ...count, label: '5xx' },
      }),
    );
  }

  return [
    [
      new cloudwatch.TextWidget({
        markdown:
          '## Ingestion pipeline\nEventBridge → SQS → aggregate function (records each event) → DynamoDB stream → counters function (counts it), per 5 minutes. Event counts are EMF (at-least-once): approximate.',
        width: 24,
        height: 2,
      }),
    ],
    [
      graph(8, {
        title: PipelineWidgetTitle.queue,
        left: [metrics.ingestionBacklog()],
        right: [metrics.ingestionLagSeconds()],
        leftYAxis: { ...count, label: 'messages' },
        rightYAxis: { ...count, label: 'seconds' },
      }),
      graph(8, {
        title: PipelineWidgetTitle.deadLetterQueue,
        left: [metrics.deadLetterQueueDepth()],
        leftYAxis: count,
      }),
      graph(8, {
        title: PipelineWidgetTitle.events,
        left: [
          metrics.pipeline('eventsIngested', { label: 'counted' }),
          metrics.pipeline('duplicatesDropped', { label: 'duplicates' }),
          metrics.pipeline('eventsRejected', { label: 'rejected' }),
          metrics.pipeline('conflicts', { label: 'conflicts' }),
          metrics.pipeline('eventsFailed', { label: 'failed writes' }),
        ],
        right: [metrics.rejectedEventRate()],
        leftYAxis: count,
        rightYAxis: { min: 0, max: 1, showUnits: false, label: 'rejected share' },
      }),
    ],
    [
      graph(6, {
        title: PipelineWidgetTitle.functionErrors,
        left: roles.map((role) => metrics.functionErrors(role)),
        leftYAxis: count,
      }),
      graph(6, {
        title: PipelineWidgetTitle.functionThrottles,
        left: roles.map((role) => metrics.functionThrottles(role)),
        leftYAxis: count,
      }),
      graph(6, {
        title: PipelineWidgetTitle.functionDuration,
        left: roles.map((role) => metrics.functionDurationP99(role)),
        leftYAxis: count,
      }),
      graph(6, {
        title: PipelineWidgetTitle.eventLag,
        left: [
          metrics.pipeline('ingestionLagMs', { statistic: 'p50', label: 'p50' }),
          metrics.pipeline('ingestionLagMs', { statistic: 'p99', label: 'p99' }),
        ],
        leftYAxis: count,
      }),
    ],
    ...(countingRow.length > 0 ? [countingRow] : []),
    ...(lastRow.length > 0 ? [lastRow] : []),
  ];
};
