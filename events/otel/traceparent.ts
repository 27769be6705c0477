import { context, isSpanContextValid, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Formats a span context as a W3C `traceparent` (`00-<trace-id>-<span-id>-<flags>`), or undefined
 * when the context is not valid (all-zero ids, wrong lengths).
 *
 * @example
 * ```ts
 * formatTraceparent(span.spanContext()); // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
 * ```
 */
export const formatTraceparent = (spanContext: SpanContext | undefined): string | undefined => {
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
};

/**
 * Reads a W3C `traceparent` (version 00) into a remote span context; anything else gives undefined.
 *
 * @example
 * ```ts
 * const linked = parseTraceparent(detail.traceparent);
 * if (linked) links.push({ context: linked });
 * ```
 */
export const parseTraceparent = (value: unknown): SpanContext | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  const parsed: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(parsed) ? parsed : undefined;
};

/** The `traceparent` of the span active in the current OpenTelemetry context, if any. */
export const activeTraceparent = (): string | undefined =>
  formatTraceparent(trace.getSpanContext(context.active()));
