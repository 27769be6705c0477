import { WorkflowIdSchema } from '../../events/schemas.ts';
import type { LoadedCatalog } from '../catalog/load.ts';
import type { CatalogWorkflow } from '../catalog/schema.ts';
import { emptyCounters } from '../metrics/counters.ts';
import { deriveMetrics } from '../metrics/derive.ts';
import { decodePageToken, encodePageToken } from '../store/page-token.ts';
import type { MetricsStore, WorkflowRecord, WorkflowRegistry } from '../store/port.ts';
import { DAY_MS, dayKey, floorTo } from '../time.ts';

/**
 * The few figures shown per workflow in lists, over the last 7 UTC days including today, with the
 * same unknowns and bounds as the metrics API (docs/counting.md, Unknown is not zero): `valueUsd`, `netValueUsd` and `roi`
 * are null when unknown; cost is a lower bound when `costComplete` is false.
 */
export interface HeadlineMetrics {
  readonly from: string;
  readonly to: string;
  readonly runs: number;
  readonly successRate: number | null;
  readonly costUsd: number;
  readonly costComplete: boolean;
  readonly unpricedUsageEvents: number;
  readonly valueUsd: number | null;
  readonly valueCoverage: number | null;
  readonly netValueUsd: number | null;
  readonly roi: number | null;
  readonly hoursSaved: number | null;
  readonly reviews: number;
  readonly acceptanceRate: number | null;
  readonly acceptanceRateLow95: number | null;
  readonly overrideRate: number | null;
  readonly activeUsers: number;
}

export interface WorkflowListEntry {
  readonly workflowId: string;
  readonly inCatalog: boolean;
  readonly name: string | null;
  readonly ownerTeam: string | null;
  readonly stage: CatalogWorkflow['stage'] | null;
  readonly valuePerSuccessUsd: number | null;
  readonly minutesSavedPerSuccess: number | null;
  readonly targets: CatalogWorkflow['targets'];
  readonly firstSeenAt: string | null;
  readonly lastSeenAt: string | null;
  readonly last7Days: HeadlineMetrics;
}

/** Which page of the fleet to list. */
export interface WorkflowListPage {
  readonly limit: number;
  /** The `nextToken` of the previous page. */
  readonly nextToken?: string;
}

/**
 * The ids of one page of the fleet: catalogued workflows and those the registry has seen, merged in id
 * order. The registry is read one page at a time, so a page costs the same whatever the fleet's size.
 */
export const pageOfWorkflowIds = async (
  registry: WorkflowRegistry,
  catalog: LoadedCatalog,
  page: WorkflowListPage,
): Promise<{ ids: string[]; seen: Map<string, WorkflowRecord>; nextToken?: string }> => {
  const after =
    page.nextToken === undefined
      ? undefined
      : decodePageToken(page.nextToken, (after) => WorkflowIdSchema.safeParse(after).success);
  const seenPage = await registry.listWorkflows(after, page.limit);
  const seen = new Map(seenPage.records.map((record) => [record.workflowId, record]));
  const upTo = seenPage.lastWorkflowId;
  const catalogued = catalog.catalog.workflows
    .map((w) => w.id)
    .filter((id) => (after === undefined || id > after) && (upTo === undefined || id <= upTo));
  const merged = [...new Set([...seen.keys(), ...catalogued])].sort();
  const ids = merged.slice(0, page.limit);
  const more = upTo !== undefined || merged.length > page.limit;
  const last = ids.at(-1);
  return { ids, seen, ...(more && last ? { nextToken: encodePageToken(last) } : {}) };
};

/**
 * One page of the workflows that sent events or are in the catalog, with their catalog fields and
 * headline metrics over the last 7 UTC days: one registry read and the page's day items in batches
 * of 100 (14 per workflow: 7 days and their users), so a page costs the same whatever the fleet's size.
 *
 * @example
 * ```ts
 * const { workflows, nextToken } = await listWorkflows(store, catalog, Date.now(), { limit: 50 });
 * ```
 */
export const listWorkflows = async (
  store: MetricsStore,
  catalog: LoadedCatalog,
  nowMs: number,
  page: WorkflowListPage,
): Promise<{ workflows: WorkflowListEntry[]; nextToken?: string }> => {
  const { ids, seen: seenById, nextToken } = await pageOfWorkflowIds(store, catalog, page);
  const toMs = floorTo(nowMs, DAY_MS) + DAY_MS;
  const fromMs = toMs - 7 * DAY_MS;
  // The page's day items in a few batched reads (100 keys a call), never one query per workflow.
  const totals = await store.readDayTotals(ids, dayKey(fromMs), dayKey(toMs));
  const workflows = ids.map((workflowId): WorkflowListEntry => {
    const m = deriveMetrics(totals.get(workflowId) ?? emptyCounters(), catalog.assumptionsFor(workflowId));
    const entry = catalog.workflow(workflowId);
    const record = seenById.get(workflowId);
    return {
      workflowId,
      inCatalog: entry !== undefined,
      name: entry?.name ?? null,
      ownerTeam: entry?.ownerTeam ?? null,
      stage: entry?.stage ?? null,
      valuePerSuccessUsd: entry?.valuePerSuccessUsd ?? null,
      minutesSavedPerSuccess: entry?.minutesSavedPerSuccess ?? null,
      targets: entry?.targets ?? {},
      firstSeenAt: record?.firstSeenAt ?? null,
      lastSeenAt: record?.lastSeenAt ?? null,
      last7Days: {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        runs: m.runs,
        successRate: m.successRate,
        costUsd: m.costUsd,
        costComplete: m.costComplete,
        unpricedUsageEvents: m.unpricedUsageEvents,
        valueUsd: m.valueUsd,
        valueCoverage: m.valueCoverage,
        netValueUsd: m.netValueUsd,
        roi: m.roi,
        hoursSaved: m.hoursSaved,
        reviews: m.reviews,
        acceptanceRate: m.acceptanceRate,
        acceptanceRateLow95: m.acceptanceRateLow95,
        overrideRate: m.overrideRate,
        activeUsers: m.activeUsers,
      },
    };
  });
  return { workflows, ...(nextToken ? { nextToken } : {}) };
};
