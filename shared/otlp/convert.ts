import type { Attributes } from '@opentelemetry/api';
import { DetailType } from '../../events/detail-types.ts';
import { GenAiEvaluation, readGenAiUsage } from '../../events/otel/genai-attributes.ts';
import { DETAIL_SCHEMAS } from '../../events/schemas.ts';
import type { EvaluationMapping } from '../catalog/schema.ts';
import type { Decoded, OtlpLogRecord, OtlpSpan } from './decode.ts';
import { type Converted, evaluationEventOf } from './evaluation.ts';
import { spansCountedBelow, usageDetailOf } from './usage.ts';
import type { WorkflowResolver } from './workflow.ts';

/** What the conversion needs from the catalog. */
export interface ConversionContext {
  readonly resolveWorkflow: WorkflowResolver;
  readonly evaluationRules: (workflowId: string) => readonly EvaluationMapping[] | undefined;
}

export type BusEvent = Extract<Converted, { detailType: unknown }>;

/** The events of one export request, and the items refused with their reasons. */
export interface Conversion {
  readonly events: readonly BusEvent[];
  readonly rejected: number;
  /** Distinct reasons, in order of first occurrence. */
  readonly reasons: readonly string[];
}

// The contract's own checks, so a refusal is told to the exporter now rather than quarantined later.
const checked = (converted: Converted): Converted => {
  if ('reason' in converted) return converted;
  const parsed = DETAIL_SCHEMAS[converted.detailType].safeParse(converted.detail);
  if (parsed.success) return converted;
  const issue = parsed.error.issues[0];
  return { reason: `${issue?.path.join('.') || 'detail'} ${issue?.message ?? 'is invalid'}` };
};

class Collector {
  readonly events: BusEvent[] = [];
  readonly reasons = new Set<string>();
  rejected = 0;

  /** Adds one item's events; the item is rejected when any of them is. */
  item(converted: readonly Converted[]): void {
    let refused = false;
    for (const one of converted.map(checked)) {
      if ('reason' in one) {
        refused = true;
        this.reasons.add(one.reason);
      } else this.events.push(one);
    }
    if (refused) this.rejected++;
  }

  result(unreadable: number, what: string): Conversion {
    if (unreadable > 0)
      this.reasons.add(
        `${unreadable} ${what} without the fields OTLP requires (a span needs valid trace and span ids)`,
      );
    return { events: this.events, rejected: this.rejected + unreadable, reasons: [...this.reasons] };
  }
}

const hasTimes = (span: OtlpSpan) =>
  span.startTimeUnixNano > 0n && span.endTimeUnixNano >= span.startTimeUnixNano;

const isEvaluation = (name: string | undefined, attributes: Attributes) =>
  name === GenAiEvaluation.eventName || attributes['event.name'] === GenAiEvaluation.eventName;

/**
 * Converts the spans of a trace export: GenAI spans into usage events, `gen_ai.evaluation.result`
 * span events into override or outcome events. Spans with neither are ignored, not rejected.
 *
 * @example
 * ```ts
 * const { events, rejected, reasons } = convertTraces(decodeTraces(body, 'json'), context);
 * ```
 */
export const convertTraces = (decoded: Decoded<OtlpSpan>, context: ConversionContext): Conversion => {
  const out = new Collector();
  for (const { resource, items } of decoded.resources) {
    const countedBelow = spansCountedBelow(items);
    for (const span of items) {
      const evaluations = span.events.filter((event) => isEvaluation(event.name, event.attributes));
      const nested = countedBelow.has(`${span.traceId}/${span.spanId}`);
      const hasUsage = !nested && readGenAiUsage(span.attributes) !== undefined;
      if (!hasUsage && evaluations.length === 0) continue;
      const workflow = context.resolveWorkflow(span.attributes, resource);
      if ('reason' in workflow) {
        out.item([workflow]);
        continue;
      }
      // Latency comes from the span's times: without both, it is unknown, and unknown is never 0.
      if (hasUsage && !hasTimes(span)) {
        out.item([{ reason: `span ${span.spanId} has no start and end time, so no latency` }]);
        continue;
      }
      const usage = hasUsage ? usageDetailOf(span, resource, workflow.workflowId) : undefined;
      const rules = context.evaluationRules(workflow.workflowId);
      out.item([
        ...(usage ? [{ detailType: DetailType.usage, detail: usage }] : []),
        ...evaluations.map((event) =>
          evaluationEventOf(
            {
              attributes: event.attributes,
              resource,
              traceId: span.traceId,
              spanId: span.spanId,
              flags: span.flags,
              timeUnixNano: event.timeUnixNano,
            },
            workflow.workflowId,
            rules,
          ),
        ),
      ]);
    }
  }
  return out.result(decoded.unreadable, 'spans');
};

/**
 * Converts the log records of a logs export: `gen_ai.evaluation.result` events (by event name, or
 * the older `event.name` attribute) into override or outcome events; other records are ignored.
 */
export const convertLogs = (decoded: Decoded<OtlpLogRecord>, context: ConversionContext): Conversion => {
  const out = new Collector();
  for (const { resource, items } of decoded.resources) {
    for (const record of items) {
      if (!isEvaluation(record.eventName, record.attributes)) continue;
      const workflow = context.resolveWorkflow(record.attributes, resource);
      if ('reason' in workflow) {
        out.item([workflow]);
        continue;
      }
      out.item([
        evaluationEventOf(
          { ...record, resource },
          workflow.workflowId,
          context.evaluationRules(workflow.workflowId),
        ),
      ]);
    }
  }
  return out.result(decoded.unreadable, 'log records');
};
