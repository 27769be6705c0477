import { z } from 'zod';
import { WorkflowIdSchema } from '../../events/schemas.ts';

/**
 * The workflow catalog (§4 of the design): governance in one reviewed file. Assumptions here re-value
 * history, because value and hours saved are derived at read time.
 */
export const WorkflowStage = { pilot: 'pilot', production: 'production' } as const;

export const WorkflowTargetsSchema = z
  .object({
    maxOverrideRate: z.number().min(0).max(1).optional(),
    minAcceptanceRate: z.number().min(0).max(1).optional(),
    minRoi: z.number().optional(),
    minWeeklyRuns: z.number().int().nonnegative().optional(),
  })
  .strict();

export const CatalogWorkflowSchema = z
  .object({
    id: WorkflowIdSchema,
    name: z.string().min(1).max(120),
    ownerTeam: z.string().min(1).max(120),
    stage: z.enum(WorkflowStage),
    description: z.string().max(500).optional(),
    valuePerSuccessUsd: z.number().nonnegative().optional(),
    minutesSavedPerSuccess: z.number().nonnegative().optional(),
    targets: WorkflowTargetsSchema.default({}),
    digestRecipients: z.array(z.email()).default([]),
  })
  .strict();

export const ModelPriceSchema = z
  .object({
    model: z.string().min(1).max(128),
    provider: z.string().min(1).max(64).optional(),
    inputPerMillionUsd: z.number().nonnegative(),
    outputPerMillionUsd: z.number().nonnegative(),
    cachedInputPerMillionUsd: z.number().nonnegative().optional(),
    /** When the price was taken from the provider's price list (YYYY-MM-DD). */
    asOf: z.iso.date(),
  })
  .strict();

export const CatalogSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    digest: z
      .object({
        sender: z.email().optional(),
        recipients: z.array(z.email()).default([]),
      })
      .strict()
      .default({ recipients: [] }),
    workflows: z.array(CatalogWorkflowSchema).default([]),
    /** Overrides and additions to the default price table, matched by model (and provider if given). */
    prices: z.array(ModelPriceSchema).default([]),
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
  });

export type Catalog = z.output<typeof CatalogSchema>;
export type CatalogWorkflow = z.output<typeof CatalogWorkflowSchema>;
export type ModelPrice = z.output<typeof ModelPriceSchema>;
