import * as z from 'zod';
import { BOUNDS, type BoundedField, boundMessage } from './bounds.ts';
import { DetailType } from './detail-types.ts';
import { canonicalInstant } from './instant.ts';
import { looksLikePii, PII_SUSPECTED } from './pii.ts';

export { looksLikePii, PII_SUSPECTED } from './pii.ts';

/**
 * The v1 event contract as zod schemas: the single source from which the JSON Schemas in
 * `events/schemas/` are generated. Unknown fields are stripped (never stored).
 */

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

/**
 * The variant an event belongs to: the AI flow, a new prompt or model, or a human-only baseline
 * (docs/contract.md, "Variants"). Absent means {@link DEFAULT_VARIANT}.
 */
export const VariantSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'must be lower-case letters, digits, . _ - and start with a letter or digit',
  )
  .describe(
    'The variant of the workflow this run belongs to (e.g. ai, human, prompt-v2); absent means "default".',
  );

/** The variant of an event that names none. */
export const DEFAULT_VARIANT = 'default';

// Every number has an upper bound from bounds.ts; validate.ts reports a value above it as out_of_range.
const boundDescription = (field: BoundedField) =>
  `At most ${BOUNDS[field].max} ${BOUNDS[field].unit}; a larger value is quarantined as out_of_range.`;
const boundedInt = (field: BoundedField) =>
  z
    .number()
    .int()
    .nonnegative()
    .max(BOUNDS[field].max, { error: boundMessage(field) })
    .describe(boundDescription(field));
const boundedNumber = (field: BoundedField) =>
  z
    .number()
    .nonnegative()
    .max(BOUNDS[field].max, { error: boundMessage(field) })
    .describe(boundDescription(field));

const commonFields = {
  schemaVersion: z.literal(1, { error: 'unsupported schemaVersion: this consumer reads version 1' }),
  eventId: EventIdSchema,
  workflowId: WorkflowIdSchema,
  runId: z.string().min(1).max(128).optional(),
  // Parsed into its canonical spelling, so that re-sends spelling the instant differently are one event.
  occurredAt: z.iso
    .datetime({ error: 'must be an ISO-8601 UTC timestamp such as 2026-11-23T10:15:00Z' })
    .overwrite(canonicalInstant),
  userId: pseudonymousId.optional(),
  variant: VariantSchema.optional(),
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent')
    .optional(),
};

export const UsageDetailSchema = z.object({
  ...commonFields,
  model: z.string().min(1).max(128),
  provider: z.string().min(1).max(64).optional(),
  inputTokens: boundedInt('inputTokens'),
  outputTokens: boundedInt('outputTokens'),
  // Part of inputTokens and outputTokens unless the model's price says the provider counts them apart
  // (docs/catalog.md, "What the counts include"); they are priced, not counted separately.
  cachedInputTokens: boundedInt('cachedInputTokens').optional(),
  cacheCreationInputTokens: boundedInt('cacheCreationInputTokens').optional(),
  reasoningOutputTokens: boundedInt('reasoningOutputTokens').optional(),
  costUsd: boundedNumber('costUsd').optional(),
  latencyMs: boundedInt('latencyMs'),
});

export const OutcomeStatus = { succeeded: 'succeeded', failed: 'failed', abandoned: 'abandoned' } as const;

export const OutcomeDetailSchema = z.object({
  ...commonFields,
  status: z.enum(OutcomeStatus),
  valueUsd: boundedNumber('valueUsd').optional(),
  minutesSaved: boundedNumber('minutesSaved').optional(),
  qualityScore: boundedNumber('qualityScore').optional(),
  durationMs: boundedInt('durationMs').optional(),
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
  reviewMs: boundedInt('reviewMs').optional(),
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
