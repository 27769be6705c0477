import { createHash } from 'node:crypto';

/**
 * The eventId of a span's usage: the same as the in-process span processor gives it
 * (events/otel/genai-span-processor.ts), so a span exported twice, or both recorded in process and
 * exported, counts once.
 */
export const spanEventId = (traceId: string, spanId: string): string => `otel:${traceId}:${spanId}`;

/**
 * The eventId of an evaluation: a digest of everything that identifies it, so that an exporter's
 * retry repeats it and two evaluations of one span (different names, times) do not collide.
 */
export const evaluationEventId = (parts: readonly (string | bigint | number | undefined)[]): string =>
  `otel-eval:${createHash('sha256')
    .update(parts.map((part) => String(part ?? '')).join('\u0000'))
    .digest('hex')
    .slice(0, 40)}`;

/** A W3C traceparent for the span, linking the event back to its trace. */
export const traceparentOf = (traceId: string, spanId: string, flags: number): string =>
  `00-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;

/** Unix nanoseconds as an ISO-8601 UTC instant (millisecond precision). */
export const isoOfNanos = (nanos: bigint): string => new Date(Number(nanos / 1_000_000n)).toISOString();
