import { z } from 'zod';
import { DetailType } from './detail-types.ts';

/**
 * The v1 event contract as zod schemas: the single source from which the JSON Schemas in
 * `events/schemas/` are generated. Unknown fields are stripped (never stored).
 */

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/;
// Seven or more digits with only phone punctuation around them reads as a phone number.
const PHONE = /^\+?[\d\s().-]{7,}$/;

export const PII_SUSPECTED = 'pii_suspected' as const;

/** True when a pseudonymous id looks like an e-mail address or a phone number. */
export const looksLikePii = (value: string): boolean =>
  EMAIL.test(value) || (PHONE.test(value) && value.replace(/\D/g, '').length >= 7);

const pseudonymousId = z
  .string()
  .min(1)
  .max(128)
  .refine((value) => !looksLikePii(value), {
    message: 'looks like an e-mail address or phone number; send a pseudonymous id instead',
    params: { reason: PII_SUSPECTED },
  });

export const EventIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits and . _ : -');

export const WorkflowIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'must be lower-case letters, digits, . _ - and start with a letter or digit',
  );

const nonNegativeInt = z.number().int().nonnegative();
const nonNegativeNumber = z.number().nonnegative();

const commonFields = {
  schemaVersion: z.literal(1, { error: 'unsupported schemaVersion: this consumer reads version 1' }),
  eventId: EventIdSchema,
  workflowId: WorkflowIdSchema,
  runId: z.string().min(1).max(128).optional(),
  occurredAt: z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp such as 2026-11-23T10:15:00Z' }),
  userId: pseudonymousId.optional(),
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent')
    .optional(),
};

export const UsageDetailSchema = z.object({
  ...commonFields,
  model: z.string().min(1).max(128),
  provider: z.string().min(1).max(64).optional(),
  inputTokens: nonNegativeInt,
  outputTokens: nonNegativeInt,
  cachedInputTokens: nonNegativeInt.optional(),
  costUsd: nonNegativeNumber.optional(),
  latencyMs: nonNegativeInt,
});

export const OutcomeStatus = { succeeded: 'succeeded', failed: 'failed', abandoned: 'abandoned' } as const;

export const OutcomeDetailSchema = z.object({
  ...commonFields,
  status: z.enum(OutcomeStatus),
  valueUsd: nonNegativeNumber.optional(),
  minutesSaved: nonNegativeNumber.optional(),
  qualityScore: z.number().min(0).max(1).optional(),
  durationMs: nonNegativeInt.optional(),
});

export const OverrideDecision = {
  accepted: 'accepted',
  edited: 'edited',
  rejected: 'rejected',
  escalated: 'escalated',
} as const;

export const OverrideDetailSchema = z.object({
  ...commonFields,
  decision: z.enum(OverrideDecision),
  reviewerId: pseudonymousId.optional(),
  reasonCode: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9_.-]+$/, 'must be lower-case letters, digits, _ . -')
    .optional(),
  reviewMs: nonNegativeInt.optional(),
});

export type UsageDetail = z.infer<typeof UsageDetailSchema>;
export type OutcomeDetail = z.infer<typeof OutcomeDetailSchema>;
export type OverrideDetail = z.infer<typeof OverrideDetailSchema>;

/** Detail schema per EventBridge `DetailType`. */
export const DETAIL_SCHEMAS = {
  [DetailType.usage]: UsageDetailSchema,
  [DetailType.outcome]: OutcomeDetailSchema,
  [DetailType.override]: OverrideDetailSchema,
} as const;

/** A validated event of any kind, tagged with its detail type. */
export type WorkflowEvent =
  | { readonly kind: typeof DetailType.usage; readonly source: string; readonly detail: UsageDetail }
  | { readonly kind: typeof DetailType.outcome; readonly source: string; readonly detail: OutcomeDetail }
  | { readonly kind: typeof DetailType.override; readonly source: string; readonly detail: OverrideDetail };
