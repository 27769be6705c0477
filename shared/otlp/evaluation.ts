import type { Attributes } from '@opentelemetry/api';
import { DetailType, type DetailTypeName } from '../../events/detail-types.ts';
import { GenAiEvaluation, YardstickAttributes } from '../../events/otel/genai-attributes.ts';
import type { OverrideDecision } from '../../events/schemas.ts';
import type { EvaluationMapping } from '../catalog/schema.ts';
import { textAttribute } from './attributes.ts';
import { evaluationEventId, isoOfNanos, traceparentOf } from './ids.ts';

type Decision = keyof typeof OverrideDecision;

/**
 * The default meaning of an evaluation label, whatever the evaluation's name (docs/otlp.md): a label
 * that names a reviewer's decision is that decision. Scores such as pass/fail or relevant/irrelevant
 * mean nothing here until the catalog says what they mean.
 */
export const DEFAULT_EVALUATION_DECISIONS: Readonly<Record<string, Decision>> = {
  accepted: 'accepted',
  accept: 'accepted',
  approved: 'accepted',
  edited: 'edited',
  edit: 'edited',
  rejected: 'rejected',
  reject: 'rejected',
  escalated: 'escalated',
  escalate: 'escalated',
};

/** One `gen_ai.evaluation.result` event: a log record or a span event, with its span's ids. */
export interface EvaluationInput {
  readonly attributes: Attributes;
  readonly resource: Attributes;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly flags: number;
  readonly timeUnixNano: bigint;
}

/** An event for the bus, or why there is none. */
export type Converted =
  | { readonly detailType: DetailTypeName; readonly detail: Record<string, unknown> }
  | { readonly reason: string };

const matches = (rule: EvaluationMapping, name: string, label: string | undefined) =>
  rule.name === name && (rule.label === undefined || rule.label.toLowerCase() === label?.toLowerCase());

/**
 * Converts an evaluation: the workflow's catalog rules first (an override decision, or a quality
 * score on an outcome), then {@link DEFAULT_EVALUATION_DECISIONS}; an evaluation neither covers is
 * refused with the reason.
 *
 * @example
 * ```ts
 * evaluationEventOf(input, 'support-assistant', [{ name: 'human_review', label: 'thumbs_down', decision: 'rejected' }]);
 * ```
 */
export const evaluationEventOf = (
  input: EvaluationInput,
  workflowId: string,
  rules: readonly EvaluationMapping[] = [],
): Converted => {
  const name = textAttribute(input.attributes, GenAiEvaluation.name);
  if (name === undefined) return { reason: `an evaluation without ${GenAiEvaluation.name}` };
  const label = textAttribute(input.attributes, GenAiEvaluation.label);
  const rule = rules.find((candidate) => matches(candidate, name, label));
  const decision = rule ? rule.decision : label && DEFAULT_EVALUATION_DECISIONS[label.toLowerCase()];
  const base = {
    schemaVersion: 1,
    eventId: evaluationEventId([
      input.traceId,
      input.spanId,
      input.timeUnixNano,
      name,
      label,
      String(input.attributes[GenAiEvaluation.value] ?? ''),
    ]),
    workflowId,
    ...runOf(input),
    occurredAt: isoOfNanos(input.timeUnixNano),
    ...(input.traceId && input.spanId
      ? { traceparent: traceparentOf(input.traceId, input.spanId, input.flags) }
      : {}),
  };
  if (decision) return { detailType: DetailType.override, detail: { ...base, decision } };
  if (rule?.qualityScore) {
    const score = input.attributes[GenAiEvaluation.value];
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
      return {
        reason: `evaluation "${name}" has no ${GenAiEvaluation.value} from 0 to 1 for its qualityScore`,
      };
    }
    return { detailType: DetailType.outcome, detail: { ...base, status: rule.status, qualityScore: score } };
  }
  return {
    reason: `evaluation "${name.slice(0, 64)}"${label ? ` labelled "${label.slice(0, 64)}"` : ''} maps to no decision or quality score (add a rule to the workflow's evaluations in the catalog)`,
  };
};

const runOf = (input: EvaluationInput): { runId?: string } => {
  const runId =
    textAttribute(input.attributes, YardstickAttributes.runId) ??
    textAttribute(input.resource, YardstickAttributes.runId) ??
    input.traceId;
  return runId ? { runId } : {};
};
