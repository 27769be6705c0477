import { DEFAULT_VARIANT } from '../../events/schemas.ts';
import { type Rejection, RejectionCode } from '../../events/validate.ts';
import type { LoadedCatalog } from '../catalog/load.ts';
import { OTHER_REASON_CODE, ProducerLimits } from '../limits.ts';
import type { AcceptedEvent, AdmissionPolicy, WorkflowRegistry } from '../store/port.ts';

/** Governance the catalog declares: who may report for a workflow, and which workflows are known. */
export interface Governance {
  /** The sources allowed to report for a workflow; undefined when any source may. */
  readonly sourcesFor: (workflowId: string) => readonly string[] | undefined;
  readonly catalogued: (workflowId: string) => boolean;
  /** New uncatalogued workflow ids admitted per UTC day. */
  readonly newWorkflowsPerDay: number;
}

/**
 * The governance a catalog declares.
 *
 * @example
 * ```ts
 * const governance = catalogGovernance(catalog, config.maxNewWorkflowsPerDay);
 * ```
 */
export const catalogGovernance = (
  catalog: LoadedCatalog,
  newWorkflowsPerDay: number = ProducerLimits.newWorkflowsPerDay,
): Governance => ({
  sourcesFor: (workflowId) => catalog.workflow(workflowId)?.sources,
  catalogued: (workflowId) => catalog.workflow(workflowId) !== undefined,
  newWorkflowsPerDay,
});

/**
 * How many write shards each workflow's recorded events are spread over: the catalog's `writeShards`,
 * else 1 (docs/counting.md, "Hot workflows").
 *
 * @example
 * ```ts
 * new DynamoDbMetricsStore({ client, tableName, writeShardsOf: catalogWriteShards(catalog) });
 * ```
 */
export const catalogWriteShards =
  (catalog: LoadedCatalog) =>
  (workflowId: string): number =>
    catalog.workflow(workflowId)?.writeShards ?? 1;

export interface AdmissionResult {
  readonly admitted: AcceptedEvent[];
  /** Events refused by governance, with their reason: quarantined, never counted. */
  readonly refused: Array<{ readonly accepted: AcceptedEvent; readonly rejection: Rejection }>;
}

const sourceRefusal = (accepted: AcceptedEvent, allowed: readonly string[]): Rejection => ({
  code: RejectionCode.sourceNotAllowed,
  field: 'source',
  message: `source "${accepted.event.source}" may not report for workflow "${accepted.event.detail.workflowId}"; the catalog allows ${allowed.map((s) => `"${s}"`).join(', ')}`,
});

const capRefusal = (accepted: AcceptedEvent, policy: AdmissionPolicy): Rejection => ({
  code: RejectionCode.workflowLimit,
  field: 'workflowId',
  message: `workflow "${accepted.event.detail.workflowId}" is new and today's cap of ${policy.newWorkflowsPerDay} new workflow ids is reached; add it to the catalog or send again tomorrow`,
});

/**
 * Applies governance to validated events before they are counted: a source the catalog does not allow
 * for the workflow, or a new workflow id beyond the day's cap, is refused; override reason codes past
 * the workflow's cap are folded into `(other)` (the delta only: the audit trail keeps the real code);
 * an event of a named variant beyond the workflow's cap of variants is refused `too_many_variants`.
 *
 * @example
 * ```ts
 * const { admitted, refused } = await admitEvents(accepted, store, governance, policy);
 * ```
 */
export const admitEvents = async (
  events: readonly AcceptedEvent[],
  registry: WorkflowRegistry,
  governance: Governance,
  policy: Omit<AdmissionPolicy, 'catalogued' | 'newWorkflowsPerDay'>,
): Promise<AdmissionResult> => {
  const refused: AdmissionResult['refused'] = [];
  const allowed = events.filter((accepted) => {
    const sources = governance.sourcesFor(accepted.event.detail.workflowId);
    if (sources === undefined || sources.includes(accepted.event.source)) return true;
    refused.push({ accepted, rejection: sourceRefusal(accepted, sources) });
    return false;
  });
  const fullPolicy: AdmissionPolicy = {
    ...policy,
    catalogued: governance.catalogued,
    newWorkflowsPerDay: governance.newWorkflowsPerDay,
  };
  const overCap = await registry.admitWorkflows(
    allowed.map((accepted) => accepted.event.detail.workflowId),
    fullPolicy,
  );
  const admitted = allowed.filter((accepted) => {
    if (!overCap.has(accepted.event.detail.workflowId)) return true;
    refused.push({ accepted, rejection: capRefusal(accepted, fullPolicy) });
    return false;
  });
  await foldReasonCodes(admitted, registry);
  const overVariantCap = await variantsOverCap(admitted, registry);
  return {
    admitted: admitted.filter((accepted) => {
      if (!overVariantCap.has(accepted)) return true;
      refused.push({ accepted, rejection: variantRefusal(accepted) });
      return false;
    }),
    refused,
  };
};

const variantRefusal = (accepted: AcceptedEvent): Rejection => ({
  code: RejectionCode.tooManyVariants,
  field: 'variant',
  message: `workflow "${accepted.event.detail.workflowId}" already counts ${ProducerLimits.variantsPerWorkflow} named variants (the cap, see docs/contract.md) and "${accepted.event.detail.variant}" is not one of them`,
});

/** The events whose named variant the registry does not keep, because its workflow's set is full. */
const variantsOverCap = async (
  events: readonly AcceptedEvent[],
  registry: WorkflowRegistry,
): Promise<ReadonlySet<AcceptedEvent>> => {
  const variantsByWorkflow = new Map<string, Set<string>>();
  for (const { event } of events) {
    const { workflowId, variant = DEFAULT_VARIANT } = event.detail;
    if (variant === DEFAULT_VARIANT) continue;
    variantsByWorkflow.set(workflowId, (variantsByWorkflow.get(workflowId) ?? new Set()).add(variant));
  }
  const over = new Set<AcceptedEvent>();
  for (const [workflowId, variants] of variantsByWorkflow) {
    const kept = await registry.keptVariants(workflowId, [...variants]);
    for (const accepted of events) {
      const { variant = DEFAULT_VARIANT } = accepted.event.detail;
      if (accepted.event.detail.workflowId === workflowId && variants.has(variant) && !kept.has(variant))
        over.add(accepted);
    }
  }
  return over;
};

const foldReasonCodes = async (events: readonly AcceptedEvent[], registry: WorkflowRegistry) => {
  const codesByWorkflow = new Map<string, Set<string>>();
  for (const { event, delta } of events) {
    for (const code of delta.reasons.keys()) {
      const codes = codesByWorkflow.get(event.detail.workflowId) ?? new Set();
      codes.add(code);
      codesByWorkflow.set(event.detail.workflowId, codes);
    }
  }
  for (const [workflowId, codes] of codesByWorkflow) {
    const kept = await registry.keptReasonCodes(workflowId, [...codes]);
    for (const { event, delta } of events) {
      if (event.detail.workflowId !== workflowId) continue;
      for (const [code, count] of [...delta.reasons]) {
        if (kept.has(code)) continue;
        delta.reasons.delete(code);
        delta.reasons.set(OTHER_REASON_CODE, (delta.reasons.get(OTHER_REASON_CODE) ?? 0n) + count);
      }
    }
  }
};
