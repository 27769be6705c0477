import type { Attributes } from '@opentelemetry/api';
import { WorkflowNameAttributes, YardstickAttributes } from '../../events/otel/genai-attributes.ts';
import { WorkflowIdSchema } from '../../events/schemas.ts';
import type { Catalog } from '../catalog/schema.ts';
import { textAttribute } from './attributes.ts';

/** The workflow a span or log record counts for, or why it counts for none. */
export type WorkflowResolution = { readonly workflowId: string } | { readonly reason: string };

/** Resolves the workflow of one item from its own attributes and its resource's. */
export type WorkflowResolver = (item: Attributes, resource: Attributes) => WorkflowResolution;

/**
 * The workflow resolution of docs/otlp.md: `yardstick.workflow.id` on the item, else on its
 * resource; else the first of `gen_ai.workflow.name` (item, then resource) and `service.name` that
 * the catalog knows, as a workflow's `telemetryNames` or as a catalogued workflow id.
 *
 * @example
 * ```ts
 * const resolve = workflowResolver(catalog);
 * resolve({ 'gen_ai.workflow.name': 'support-bot' }, { 'service.name': 'api' }); // { workflowId: 'support-assistant' }
 * ```
 */
export const workflowResolver = (catalog: Pick<Catalog, 'workflows'>): WorkflowResolver => {
  const byName = new Map<string, string>();
  for (const workflow of catalog.workflows) {
    for (const name of workflow.telemetryNames ?? []) if (!byName.has(name)) byName.set(name, workflow.id);
  }
  for (const workflow of catalog.workflows)
    if (!byName.has(workflow.id)) byName.set(workflow.id, workflow.id);
  return (item, resource) => {
    const explicit =
      textAttribute(item, YardstickAttributes.workflowId) ??
      textAttribute(resource, YardstickAttributes.workflowId);
    if (explicit !== undefined) {
      const parsed = WorkflowIdSchema.safeParse(explicit);
      return parsed.success
        ? { workflowId: parsed.data }
        : {
            reason: `${YardstickAttributes.workflowId} "${explicit.slice(0, 64)}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
          };
    }
    const names = WorkflowNameAttributes.flatMap((key) =>
      [textAttribute(item, key), textAttribute(resource, key)].filter((name) => name !== undefined),
    );
    for (const name of names) {
      const workflowId = byName.get(name);
      if (workflowId !== undefined) return { workflowId };
    }
    const seen =
      names.length > 0
        ? ` (${names.map((name) => `"${name.slice(0, 64)}"`).join(', ')} not in any catalog workflow's telemetryNames)`
        : '';
    return {
      reason: `no workflow: set ${YardstickAttributes.workflowId}, or map ${WorkflowNameAttributes.join(' or ')} in the catalog${seen}`,
    };
  };
};
