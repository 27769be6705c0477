import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Recorder } from '../recorder/recorder.ts';
import { looksLikePii } from '../schemas.ts';
import { readGenAiUsage, YardstickAttributes } from './genai-attributes.ts';
import { formatTraceparent } from './traceparent.ts';

export interface GenAiSpanProcessorOptions {
  /** The recorder the usage events go through (batching, retries, pseudonymisation). */
  readonly recorder: Recorder;
  /**
   * The span or resource attribute naming the Yardstick workflow; spans without it belong to the
   * recorder's workflowId. @default 'yardstick.workflow.id'
   */
  readonly workflowIdAttribute?: string;
  /** Spans remembered to recognise nested GenAI spans (see below). @default 10_000 */
  readonly maxTrackedSpans?: number;
}

const hrToMs = (time: readonly [number, number]): number => time[0] * 1_000 + time[1] / 1_000_000;

type SpanWithParent = ReadableSpan & { readonly parentSpanId?: string };

/**
 * An OpenTelemetry SpanProcessor that turns every finished GenAI span into a Yardstick usage event:
 * model, provider, input/output/cached tokens, `gen_ai.usage.cost` as costUsd, the span's duration as
 * latency and its end as the event time. The eventId derives from the span's ids, so a span exported
 * twice counts once, and the span's own context is carried as `traceparent`.
 *
 * Nested GenAI spans (a framework span around the provider SDK's span, an agent span summing its
 * calls) would count the same tokens twice: only the innermost span with usage is counted; its
 * ancestors in the same trace are skipped.
 *
 * @example
 * ```ts
 * const recorder = createRecorder({ workflowId: 'support-assistant', source: 'acme.support' });
 * const provider = new NodeTracerProvider({
 *   resource: resourceFromAttributes({ 'yardstick.workflow.id': 'support-assistant' }),
 *   spanProcessors: [new GenAiUsageSpanProcessor({ recorder }), new BatchSpanProcessor(exporter)],
 * });
 * ```
 */
export class GenAiUsageSpanProcessor implements SpanProcessor {
  readonly #recorder: Recorder;
  readonly #workflowIdAttribute: string;
  readonly #maxTracked: number;
  /** traceId/spanId of spans one of whose descendants was counted. */
  readonly #hasCountedDescendant = new Set<string>();

  constructor(options: GenAiSpanProcessorOptions) {
    this.#recorder = options.recorder;
    this.#workflowIdAttribute = options.workflowIdAttribute ?? YardstickAttributes.workflowId;
    this.#maxTracked = options.maxTrackedSpans ?? 10_000;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      this.#onEnd(span);
    } catch {
      // A span processor must never break the application's tracing.
    }
  }

  forceFlush(): Promise<void> {
    return this.#recorder.flush().then(() => undefined);
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }

  #onEnd(span: ReadableSpan): void {
    const { traceId, spanId } = span.spanContext();
    const parentId =
      (span as SpanWithParent).parentSpanContext?.spanId ?? (span as SpanWithParent).parentSpanId;
    const key = `${traceId}/${spanId}`;
    const nested = this.#hasCountedDescendant.delete(key);
    const markParent = () => {
      if (!parentId) return;
      this.#hasCountedDescendant.add(`${traceId}/${parentId}`);
      if (this.#hasCountedDescendant.size > this.#maxTracked) {
        const oldest = this.#hasCountedDescendant.values().next().value;
        if (oldest !== undefined) this.#hasCountedDescendant.delete(oldest);
      }
    };
    if (nested) {
      markParent();
      return;
    }
    const usage = readGenAiUsage(span.attributes);
    if (!usage) return;
    markParent();
    const workflowId =
      span.attributes[this.#workflowIdAttribute] ?? span.resource?.attributes?.[this.#workflowIdAttribute];
    const runId = span.attributes[YardstickAttributes.runId];
    const { userId, ...counts } = usage;
    this.#recorder.usage({
      ...counts,
      eventId: `otel:${traceId}:${spanId}`,
      ...(typeof workflowId === 'string' ? { workflowId } : {}),
      runId: typeof runId === 'string' && runId !== '' ? runId : traceId,
      occurredAt: Math.round(hrToMs(span.endTime)),
      latencyMs: Math.max(0, Math.round(hrToMs(span.duration))),
      // Without pseudonymisation an e-mail-like id would refuse the whole event: keep the usage, drop the id.
      ...(userId && (this.#recorder.pseudonymizes || !looksLikePii(userId)) ? { userId } : {}),
      traceparent: formatTraceparent(span.spanContext()),
    });
  }
}
