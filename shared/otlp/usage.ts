import type { Attributes } from '@opentelemetry/api';
import { readGenAiUsage, YardstickAttributes } from '../../events/otel/genai-attributes.ts';
import { looksLikePii } from '../../events/schemas.ts';
import { textAttribute } from './attributes.ts';
import type { OtlpSpan } from './decode.ts';
import { isoOfNanos, spanEventId, traceparentOf } from './ids.ts';

/**
 * The `ai.workflow.usage` detail of a GenAI span, read by the same attribute reader as the in-process
 * span processor (model, provider, token counts, reported cost, user), with the span's duration as
 * latency and its end as the event time. Undefined for spans without usage (not GenAI, or a
 * workflow/tool/agent span without token counts): those are not the endpoint's business.
 *
 * @example
 * ```ts
 * usageDetailOf(span, resource, 'support-assistant'); // { schemaVersion: 1, eventId: 'otel:<trace>:<span>', model: 'gpt-4o-mini', … }
 * ```
 */
export const usageDetailOf = (
  span: OtlpSpan,
  resource: Attributes,
  workflowId: string,
): Record<string, unknown> | undefined => {
  const usage = readGenAiUsage(span.attributes);
  if (!usage) return undefined;
  const { userId, ...counts } = usage;
  const latencyNanos =
    span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n;
  return {
    schemaVersion: 1,
    eventId: spanEventId(span.traceId, span.spanId),
    workflowId,
    runId:
      textAttribute(span.attributes, YardstickAttributes.runId) ??
      textAttribute(resource, YardstickAttributes.runId) ??
      span.traceId,
    occurredAt: isoOfNanos(span.endTimeUnixNano),
    ...counts,
    latencyMs: Number((latencyNanos + 500_000n) / 1_000_000n),
    // Nothing pseudonymises ids on this path: an e-mail-like id would refuse the whole event, so the
    // usage is kept and the id dropped.
    ...(userId && !looksLikePii(userId) ? { userId } : {}),
    traceparent: traceparentOf(span.traceId, span.spanId, span.flags),
  };
};

/**
 * Spans whose usage is already counted by a descendant in the same request: a framework's span
 * around the provider SDK's span, an agent span summing its calls. As in the span processor, only
 * the innermost span with usage counts.
 */
export const spansCountedBelow = (spans: readonly OtlpSpan[]): Set<string> => {
  const parentOf = new Map(spans.map((span) => [`${span.traceId}/${span.spanId}`, span.parentSpanId]));
  const covered = new Set<string>();
  for (const span of spans) {
    if (!readGenAiUsage(span.attributes)) continue;
    let parent = span.parentSpanId;
    const seen = new Set<string>();
    while (parent !== undefined) {
      const key = `${span.traceId}/${parent}`;
      if (seen.has(key)) break;
      seen.add(key);
      covered.add(key);
      parent = parentOf.get(key);
    }
  }
  return covered;
};
