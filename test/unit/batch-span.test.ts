import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchReport, IncomingEvent, RecordOutcomeName } from '../../shared/ingest/count-batch.ts';
import { AGGREGATE_TRACER_NAME, MAX_BATCH_LINKS, traceBatch } from '../../shared/telemetry/batch-span.ts';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const traceparent = (n: number) => `00-${hex(n + 1, 32)}-${hex(n + 1, 16)}-01`;

const incoming = (ref: string, detail: Record<string, unknown>): IncomingEvent => ({
  ref,
  id: ref,
  detailType: 'ai.workflow.usage',
  source: 'acme.bot',
  detail,
  body: JSON.stringify(detail),
});

const report = (outcomes: Record<string, RecordOutcomeName>, failed: string[] = []): BatchReport => ({
  outcomes: new Map(Object.entries(outcomes)),
  failures: new Map(failed.map((ref) => [ref, new Error('write failed')])),
  quarantined: [],
  conflicts: [],
  counted: [],
  lagsMs: [],
  rejections: new Map(),
});

describe('traceBatch', () => {
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    trace.disable();
    await provider.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
  });

  it('records one consumer span per batch, linked to each producer span, with the batch’s outcome counts', async () => {
    // Prepare
    const batch = [
      incoming('m1', { eventId: 'e1', workflowId: 'wf-a', traceparent: traceparent(1) }),
      incoming('m2', { eventId: 'e2', workflowId: 'wf-a', traceparent: traceparent(2) }),
      incoming('m3', { eventId: 'e2', workflowId: 'wf-a', traceparent: traceparent(2) }),
      incoming('m4', { eventId: 'e4', workflowId: 'wf-b', traceparent: 'not-a-traceparent' }),
      {
        ref: 'm5',
        id: 'm5',
        body: '{',
        rejection: { code: 'invalid_json', message: 'bad' },
      } as IncomingEvent,
    ];
    const outcomes = {
      m1: 'counted',
      m2: 'counted',
      m3: 'duplicate',
      m4: 'counted',
      m5: 'quarantined',
    } as const;

    // Act
    const result = await traceBatch(batch, async () => report(outcomes));

    // Assess
    const [span] = exporter.getFinishedSpans();
    expect(result.outcomes.get('m3')).toBe('duplicate');
    expect(span?.instrumentationScope.name).toBe(AGGREGATE_TRACER_NAME);
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes).toMatchObject({
      'yardstick.batch.size': 5,
      'yardstick.batch.counted': 3,
      'yardstick.batch.duplicates': 1,
      'yardstick.batch.quarantined': 1,
      'yardstick.batch.failed': 0,
      'yardstick.batch.links': 2,
    });
    expect(span?.links.map((link) => [link.context.traceId, link.context.spanId, link.attributes])).toEqual([
      [hex(2, 32), hex(2, 16), { 'yardstick.event.id': 'e1', 'yardstick.workflow.id': 'wf-a' }],
      [hex(3, 32), hex(3, 16), { 'yardstick.event.id': 'e2', 'yardstick.workflow.id': 'wf-a' }],
    ]);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks the span as an error when writes failed, and records a thrown error before rethrowing it', async () => {
    // Prepare
    const batch = [incoming('m1', { eventId: 'e1', workflowId: 'wf-a' })];

    // Act
    await traceBatch(batch, async () => report({ m1: 'failed' }, ['m1']));
    const thrown = traceBatch(batch, async () => {
      throw new Error('store unavailable');
    });

    // Assess
    await expect(thrown).rejects.toThrow('store unavailable');
    const [partial, crashed] = exporter.getFinishedSpans();
    expect(partial?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: '1 record(s) failed to write and will be redelivered',
    });
    expect(partial?.attributes['yardstick.batch.failed']).toBe(1);
    expect(crashed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(crashed?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('caps the links of a large batch and says how many producer contexts were left out', async () => {
    // Prepare
    const batch = Array.from({ length: MAX_BATCH_LINKS + 30 }, (_, i) =>
      incoming(`m${i}`, { eventId: `e${i}`, workflowId: 'wf-a', traceparent: traceparent(i) }),
    );

    // Act
    await traceBatch(batch, async () => report({}));

    // Assess
    const [span] = exporter.getFinishedSpans();
    expect(span?.links).toHaveLength(MAX_BATCH_LINKS);
    expect(span?.attributes['yardstick.batch.links_dropped']).toBe(30);
  });
});
