import * as z from 'zod';
import { OutcomeStatus, OverrideDecision, VariantSchema, WorkflowIdSchema } from '../../events/schemas.ts';
import { MAX_WRITE_SHARDS } from '../limits.ts';

/**
 * The workflow catalog (docs/catalog.md): governance in one reviewed file. Assumptions here re-value
 * history, because value and hours saved are derived at read time. The descriptions below become the
 * hover text of the generated `catalog.schema.json` in editors.
 */
export const WorkflowStage = { pilot: 'pilot', production: 'production' } as const;

/** How runs reach a workflow's variants: at random (a fair comparison) or by whatever chose them. */
export const VariantAssignment = { randomized: 'randomized', observational: 'observational' } as const;
export type VariantAssignmentName = keyof typeof VariantAssignment;

const rate = (text: string) => z.number().min(0).max(1).describe(text);

export const WorkflowTargetsSchema = z
  .object({
    maxOverrideRate: rate(
      'Highest acceptable share of reviewed outputs that humans edited or rejected (0–1). Verdict default: 0.25.',
    ).optional(),
    minAcceptanceRate: rate(
      'Lowest acceptable share of reviewed outputs accepted as is (0–1); "scale" needs the 95 % lower bound at or above it. Verdict default: 0.7.',
    ).optional(),
    minRoi: z
      .number()
      .describe(
        'Lowest acceptable ROI, (value − cost) / cost; 1 means value is twice the cost. Verdict default: 0.',
      )
      .optional(),
    minWeeklyRuns: z
      .number()
      .int()
      .nonnegative()
      .describe('Fewer runs than this in a week makes the workflow "stalled". No default.')
      .optional(),
    minAdoptionRate: rate(
      'Lowest acceptable adoption: weekly active users ÷ eligibleUsers (0–1). Below it the workflow is "stalled". Needs eligibleUsers. Verdict default: 0.25.',
    ).optional(),
    maxAdoptionDrop: rate(
      'Adoption is "falling" when weekly active users drop by at least this share (0–1) against the mean of the three weeks before. Verdict default: 0.25.',
    ).optional(),
  })
  .strict()
  .describe('Targets the verdicts use; a missing target falls back to the documented default.');

/**
 * One rule for `gen_ai.evaluation.result` events: an evaluation name (and label) becomes a reviewer's
 * decision (an override event) or the quality score of the run (an outcome event).
 */
export const EvaluationMappingSchema = z
  .object({
    name: z.string().min(1).max(128).describe('The gen_ai.evaluation.name it applies to.'),
    label: z
      .string()
      .min(1)
      .max(128)
      .describe('The gen_ai.evaluation.score.label it applies to (any case). Absent: any label.')
      .optional(),
    decision: z
      .enum(OverrideDecision)
      .describe('Record an override with this decision (accepted, edited, rejected, escalated).')
      .optional(),
    qualityScore: z
      .literal(true)
      .describe(
        "Record an outcome of the run with gen_ai.evaluation.score.value (0–1) as its qualityScore and this rule's status: only for workflows that report no outcomes of their own, since each is a run's outcome.",
      )
      .optional(),
    status: z
      .enum(OutcomeStatus)
      .default('succeeded')
      .describe('The status of the outcome a qualityScore rule records. Default: succeeded.'),
  })
  .strict()
  .refine((rule) => (rule.decision === undefined) !== (rule.qualityScore === undefined), {
    message: 'give exactly one of decision or qualityScore',
  });

export const CatalogWorkflowSchema = z
  .object({
    id: WorkflowIdSchema.describe('The workflowId its events carry.'),
    name: z.string().min(1).max(120).describe('Name shown to leadership in the digest.'),
    ownerTeam: z.string().min(1).max(120).describe('Team accountable for the workflow.'),
    stage: z.enum(WorkflowStage).describe('pilot or production.'),
    description: z.string().max(500).optional(),
    businessFunction: z
      .string()
      .min(1)
      .max(60)
      .describe(
        'The business function it serves, for the portfolio view. Free text; suggested: finance, customer-support, marketing, engineering, operations, sales, hr, legal.',
      )
      .optional(),
    eligibleUsers: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .describe(
        'How many people could use it; adoption = weekly active users ÷ eligibleUsers. Absent: adoption is unknown.',
      )
      .optional(),
    pilotSince: z.iso
      .date()
      .describe('When the pilot started (YYYY-MM-DD); the portfolio counts weeks in pilot from it.')
      .optional(),
    valuePerSuccessUsd: z
      .number()
      .nonnegative()
      .describe(
        'Assumed business value in USD of a succeeded run that reported no valueUsd. Applied at read time: changing it re-values history.',
      )
      .optional(),
    minutesSavedPerSuccess: z
      .number()
      .nonnegative()
      .describe(
        'Assumed minutes saved by a succeeded run that reported no minutesSaved. Applied at read time.',
      )
      .optional(),
    baselineVariant: VariantSchema.describe(
      'The variant the others are compared with (e.g. "human" for human-only runs). Absent: no comparison.',
    ).optional(),
    laborCostPerHourUsd: z
      .number()
      .nonnegative()
      .max(10_000)
      .describe(
        "Fully loaded cost of an hour of the people's time; turns measured duration differences into money.",
      )
      .optional(),
    assignment: z
      .enum(VariantAssignment)
      .default('observational')
      .describe(
        'randomized: runs are assigned to variants at random, so differences are caused by the variant. observational (default): comparisons may be confounded.',
      ),
    targets: WorkflowTargetsSchema.default({}),
    sources: z
      .array(z.string().min(1).max(256))
      .min(1)
      .max(50)
      .describe(
        'EventBridge sources allowed to report for this workflow (e.g. ["acme.invoice-bot"]). Events from any other source are quarantined as source_not_allowed. Absent: any source may report.',
      )
      .optional(),
    telemetryNames: z
      .array(z.string().min(1).max(256))
      .max(50)
      .describe(
        'OpenTelemetry names of this workflow: a span or resource attribute gen_ai.workflow.name, or the service.name, whose spans and evaluations the OTLP endpoint counts here (docs/otlp.md). yardstick.workflow.id on a span always wins.',
      )
      .optional(),
    evaluations: z
      .array(EvaluationMappingSchema)
      .max(50)
      .describe(
        'What gen_ai.evaluation.result events of this workflow mean, checked before the default mapping (docs/otlp.md, "Evaluations").',
      )
      .optional(),
    writeShards: z
      .number()
      .int()
      .min(1)
      .max(MAX_WRITE_SHARDS)
      .describe(
        `How many partition keys this workflow's recorded events are spread over (1–${MAX_WRITE_SHARDS}, default 1). Set it before traffic grows past about 800 events/s: docs/counting.md, "Hot workflows".`,
      )
      .optional(),
    digestRecipients: z
      .array(z.email())
      .default([])
      .describe('Extra recipients of the weekly digest (the owners of this workflow).'),
  })
  .strict();

/**
 * Prices are bounded like event money (events/bounds.ts): at the token bound of an event, the largest
 * price still prices one call within the costUsd bound, so priced costs sum as exactly as reported ones.
 */
const MAX_PRICE_PER_MILLION_USD = 1_000;
const pricePerMillion = z.number().nonnegative().max(MAX_PRICE_PER_MILLION_USD);

export const ModelPriceSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .max(128)
      .describe(
        'Model name as usage events report it. Also matches dated snapshots of it (gpt-4o-mini-2024-07-18, claude-sonnet-4-20250514).',
      ),
    provider: z
      .string()
      .min(1)
      .max(64)
      .describe('When set, only usage from this provider (or naming none) matches.')
      .optional(),
    inputPerMillionUsd: pricePerMillion.describe('USD per million uncached input tokens.'),
    outputPerMillionUsd: pricePerMillion.describe('USD per million output tokens.'),
    cachedInputPerMillionUsd: pricePerMillion
      .describe('USD per million cached input tokens (cache reads); the input price when absent.')
      .optional(),
    cacheCreationInputPerMillionUsd: pricePerMillion
      .describe(
        'USD per million input tokens written to the cache (cache creation); the input price when absent.',
      )
      .optional(),
    reasoningOutputPerMillionUsd: pricePerMillion
      .describe('USD per million reasoning (thinking) output tokens; the output price when absent.')
      .optional(),
    inputIncludesCache: z
      .boolean()
      .describe(
        "Whether usage's inputTokens already include its cached and cache-creation tokens. Default true (OpenTelemetry's GenAI conventions, OpenAI); false when producers send the provider's uncached count, as Anthropic's API reports it.",
      )
      .optional(),
    outputIncludesReasoning: z
      .boolean()
      .describe(
        "Whether usage's outputTokens already include its reasoning tokens. Default true (OpenAI, Anthropic); false when producers send them apart, as Gemini's API reports thoughtsTokenCount.",
      )
      .optional(),
    aliases: z
      .array(z.string().min(1).max(256))
      .max(20)
      .describe(
        'Other model names billed at this price (a deployment name, an inference profile); matched exactly, before the decorations of `model` are stripped.',
      )
      .optional(),
    asOf: z.iso.date().describe("When the price was taken from the provider's price list (YYYY-MM-DD)."),
  })
  .strict();

export const DigestSettingsSchema = z
  .object({
    sender: z.email().describe('Verified SES identity the digest is sent from.').optional(),
    recipients: z.array(z.email()).default([]).describe('Who receives the weekly digest.'),
  })
  .strict();

export const CatalogSchema = z
  .object({
    $schema: z.string().describe('Path or URL of catalog.schema.json, for editor completion.').optional(),
    version: z.literal(1).describe('Catalog format version.'),
    digest: DigestSettingsSchema.default({ recipients: [] }),
    workflows: z.array(CatalogWorkflowSchema).default([]),
    prices: z
      .array(ModelPriceSchema)
      .default([])
      .describe(
        'Overrides and additions to the built-in price table, matched by model (and provider if given).',
      ),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    catalog.workflows.forEach((workflow, index) => {
      if (seen.has(workflow.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workflows', index, 'id'],
          message: `duplicate workflow id "${workflow.id}"`,
        });
      }
      seen.add(workflow.id);
    });
    // A telemetry name must lead to one workflow, or the OTLP endpoint could not say whose a span is.
    const claimed = new Map<string, string>();
    catalog.workflows.forEach((workflow, index) => {
      workflow.telemetryNames?.forEach((name, at) => {
        const owner = claimed.get(name);
        if (owner !== undefined && owner !== workflow.id) {
          ctx.addIssue({
            code: 'custom',
            path: ['workflows', index, 'telemetryNames', at],
            message: `telemetry name "${name}" is already the workflow "${owner}"'s`,
          });
        }
        claimed.set(name, owner ?? workflow.id);
      });
    });
  })
  .describe('Yardstick workflow catalog: value assumptions, targets, digest recipients and model prices.');

export type Catalog = z.output<typeof CatalogSchema>;
export type CatalogWorkflow = z.output<typeof CatalogWorkflowSchema>;
export type WorkflowTargets = z.output<typeof WorkflowTargetsSchema>;
export type ModelPrice = z.output<typeof ModelPriceSchema>;
export type EvaluationMapping = z.output<typeof EvaluationMappingSchema>;
