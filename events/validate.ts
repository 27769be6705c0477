import type { z } from 'zod';
import { boundMessage, isBoundedField } from './bounds.ts';
import { closestDetailType } from './detail-type-suggestion.ts';
import { DETAIL_TYPES, isDetailType } from './detail-types.ts';
import { EventTimeRules, judgeEventTime } from './event-time.ts';
import { DETAIL_SCHEMAS, PII_SUSPECTED, type WorkflowEvent } from './schemas.ts';

/** Why an event was refused: a stable code for machines and a message for people. */
export const RejectionCode = {
  invalidJson: 'invalid_json',
  invalidEnvelope: 'invalid_envelope',
  unknownDetailType: 'unknown_detail_type',
  unsupportedSchemaVersion: 'unsupported_schema_version',
  invalidField: 'invalid_field',
  piiSuspected: PII_SUSPECTED,
  inFuture: 'occurred_in_future',
  tooLate: 'too_late',
  /** A number beyond its documented upper bound (see `events/bounds.ts`); `field` names it. */
  outOfRange: 'out_of_range',
  /** DynamoDB refused this event's write for a reason other than contention; its batch-mates still count. */
  storeRejected: 'store_rejected',
  /** A new workflow id beyond the daily cap on new workflow ids. */
  workflowLimit: 'workflow_limit',
  /** The catalog lists the sources allowed to report for this workflow, and this one is not among them. */
  sourceNotAllowed: 'source_not_allowed',
  /** The workflow already counts its cap of named variants (`shared/limits.ts`) and this is another. */
  tooManyVariants: 'too_many_variants',
} as const;

export type RejectionCodeName = (typeof RejectionCode)[keyof typeof RejectionCode];

export interface Rejection {
  readonly code: RejectionCodeName;
  readonly message: string;
  /** Dotted path of the offending field, when one field is to blame. */
  readonly field?: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly event: WorkflowEvent }
  | { readonly ok: false; readonly rejection: Rejection };

export interface TimeWindow {
  /** When the event is processed, epoch milliseconds. */
  readonly nowMs: number;
  /** How long after it occurred an event may reach the bus, in milliseconds (35 days by default). */
  readonly latenessMs: number;
  /** How far ahead of its arrival an event may be stamped, absorbing clock skew. */
  readonly futureSkewMs?: number;
  /** `yardstick import`: history loaded on purpose, exempt from the lateness bound (not the future one). */
  readonly importing?: boolean;
}

export const DEFAULT_LATENESS_DAYS = EventTimeRules.latenessDays;
export const DEFAULT_FUTURE_SKEW_MS = EventTimeRules.futureSkewMs;
const DAY_MS = 86_400_000;

export const defaultTimeWindow = (nowMs = Date.now()): TimeWindow => ({
  nowMs,
  latenessMs: DEFAULT_LATENESS_DAYS * DAY_MS,
  futureSkewMs: DEFAULT_FUTURE_SKEW_MS,
});

const rejectionFromZod = (error: z.ZodError): Rejection => {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  if (field === 'schemaVersion') {
    return {
      code: RejectionCode.unsupportedSchemaVersion,
      message: `schemaVersion: ${issue?.message}`,
      field,
    };
  }
  // A number above its bound (bounds.ts), whichever check saw it first (the bound, or zod's safe-integer limit).
  const bounded = issue?.path.length === 1 && isBoundedField(field) ? field : undefined;
  if (issue?.code === 'too_big' && bounded) {
    return { code: RejectionCode.outOfRange, message: `${field}: ${boundMessage(bounded)}`, field };
  }
  const params =
    issue && 'params' in issue ? (issue.params as Record<string, unknown> | undefined) : undefined;
  const code = params?.reason === PII_SUSPECTED ? RejectionCode.piiSuspected : RejectionCode.invalidField;
  return { code, message: field ? `${field}: ${issue?.message}` : String(issue?.message), field };
};

/** Names the valid types and, for a near-miss such as a wrong case, the one the producer most likely meant. */
const unknownDetailTypeMessage = (detailType: unknown): string => {
  const suggestion = closestDetailType(detailType);
  return `detail-type ${JSON.stringify(detailType)} is not one of ${DETAIL_TYPES.join(', ')}${
    suggestion ? `; did you mean ${suggestion}? Detail types are case-sensitive and exact` : ''
  }`;
};

/**
 * Validates one event of the contract: detail type, detail fields and event-time bounds.
 *
 * @example
 * ```ts
 * const result = validateEvent({ detailType: 'ai.workflow.usage', source: 'acme.bot', detail }, defaultTimeWindow());
 * if (!result.ok) console.warn(result.rejection.code, result.rejection.message);
 * ```
 */
export const validateEvent = (
  input: {
    readonly detailType: unknown;
    readonly source: string;
    readonly detail: unknown;
    /** When the event reached the bus; lateness is judged against it. @default window.nowMs */
    readonly arrivedAtMs?: number;
  },
  window: TimeWindow,
): ValidationResult => {
  if (!isDetailType(input.detailType)) {
    return {
      ok: false,
      rejection: {
        code: RejectionCode.unknownDetailType,
        message: unknownDetailTypeMessage(input.detailType),
      },
    };
  }
  const parsed = DETAIL_SCHEMAS[input.detailType].safeParse(input.detail);
  if (!parsed.success) return { ok: false, rejection: rejectionFromZod(parsed.error) };

  {
    // An import is history loaded on purpose: no lateness bound, but still nothing from the future.
    const bounds = window.importing ? { ...window, latenessMs: Number.POSITIVE_INFINITY } : window;
    const time = judgeEventTime(Date.parse(parsed.data.occurredAt), {
      ...bounds,
      arrivedAtMs: input.arrivedAtMs,
    });
    if (!time.ok) {
      return {
        ok: false,
        rejection: {
          code: time.code === 'too_late' ? RejectionCode.tooLate : RejectionCode.inFuture,
          message: `occurredAt ${parsed.data.occurredAt} ${time.message}`,
          field: 'occurredAt',
        },
      };
    }
  }
  return {
    ok: true,
    event: { kind: input.detailType, source: input.source, detail: parsed.data } as WorkflowEvent,
  };
};
