import { type Attributes, type Link, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { parseTraceparent } from '../../events/otel/traceparent.ts';
import { type BatchReport, type IncomingEvent, RecordOutcome } from '../ingest/count-batch.ts';

/** The tracer the aggregate function's spans come from. */
export const AGGREGATE_TRACER_NAME = 'yardstick-aggregate';

/** Links per batch span: the SDK's default span limit; a batch of 10,000 cannot link every producer. */
export const MAX_BATCH_LINKS = 128;

/** Attributes of the batch span. */
export const BatchSpanAttributes = {
  size: 'yardstick.batch.size',
  counted: 'yardstick.batch.counted',
  duplicates: 'yardstick.batch.duplicates',
  conflicts: 'yardstick.batch.conflicts',
  quarantined: 'yardstick.batch.quarantined',
  failed: 'yardstick.batch.failed',
  links: 'yardstick.batch.links',
  linksDropped: 'yardstick.batch.links_dropped',
  eventId: 'yardstick.event.id',
  workflowId: 'yardstick.workflow.id',
} as const;

const stringField = (detail: unknown, field: string): string | undefined => {
  const value =
    detail !== null && typeof detail === 'object' ? (detail as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value.slice(0, 128) : undefined;
};

/** One link per distinct producer span named by the events' `traceparent`, up to {@link MAX_BATCH_LINKS}. */
const producerLinks = (incoming: readonly IncomingEvent[]): { links: Link[]; dropped: number } => {
  const links: Link[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const item of incoming) {
    if (!('detail' in item)) continue;
    const context = parseTraceparent(stringField(item.detail, 'traceparent'));
    if (!context) continue;
    const key = `${context.traceId}/${context.spanId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (links.length >= MAX_BATCH_LINKS) {
      dropped++;
      continue;
    }
    const eventId = stringField(item.detail, 'eventId');
    const workflowId = stringField(item.detail, 'workflowId');
    links.push({
      context,
      attributes: {
        ...(eventId ? { [BatchSpanAttributes.eventId]: eventId } : {}),
        ...(workflowId ? { [BatchSpanAttributes.workflowId]: workflowId } : {}),
      },
    });
  }
  return { links, dropped };
};

const reportAttributes = (report: BatchReport): Attributes => {
  const counts: Record<string, number> = {};
  for (const outcome of report.outcomes.values()) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return {
    [BatchSpanAttributes.counted]: counts[RecordOutcome.counted] ?? 0,
    [BatchSpanAttributes.duplicates]: counts[RecordOutcome.duplicate] ?? 0,
    [BatchSpanAttributes.conflicts]: counts[RecordOutcome.conflict] ?? 0,
    [BatchSpanAttributes.quarantined]: counts[RecordOutcome.quarantined] ?? 0,
    [BatchSpanAttributes.failed]: report.failures.size,
  };
};

/**
 * Runs the counting of one delivered batch inside a CONSUMER span of the `yardstick-aggregate`
 * tracer, linked to each producer's span (from the events' `traceparent`), with the batch's outcome
 * counts as attributes. Failed writes mark the span as an error; the report is returned unchanged.
 * Without a registered tracer provider this costs next to nothing.
 *
 * @example
 * ```ts
 * const report = await traceBatch(incoming, () => countBatch(incoming, deps));
 * ```
 */
export const traceBatch = (
  incoming: readonly IncomingEvent[],
  count: () => Promise<BatchReport>,
): Promise<BatchReport> => {
  const { links, dropped } = producerLinks(incoming);
  return trace.getTracer(AGGREGATE_TRACER_NAME).startActiveSpan(
    'aggregate batch',
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'aws_sqs',
        'messaging.operation.type': 'process',
        'messaging.batch.message_count': incoming.length,
        [BatchSpanAttributes.size]: incoming.length,
        [BatchSpanAttributes.links]: links.length,
        ...(dropped > 0 ? { [BatchSpanAttributes.linksDropped]: dropped } : {}),
      },
    },
    async (span) => {
      try {
        const report = await count();
        span.setAttributes(reportAttributes(report));
        if (report.failures.size > 0) {
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: `${report.failures.size} record(s) failed to write and will be redelivered`,
          });
        }
        return report;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
};
