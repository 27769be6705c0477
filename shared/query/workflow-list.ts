import type { LoadedCatalog } from '../catalog/load.ts';
import type { CatalogWorkflow } from '../catalog/schema.ts';
import { deriveMetrics } from '../metrics/derive.ts';
import type { MetricsStore } from '../store/port.ts';
import { DAY_MS, floorTo } from '../time.ts';
import { readRange } from './metrics-query.ts';

/** The few figures shown per workflow in lists, over the last 7 UTC days including today. */
export interface HeadlineMetrics {
  readonly from: string;
  readonly to: string;
  readonly runs: number;
  readonly successRate: number | null;
  readonly costUsd: number;
  readonly valueUsd: number;
  readonly netValueUsd: number;
  readonly roi: number | null;
  readonly hoursSaved: number;
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

/**
 * Every workflow that sent events or is in the catalog, with its catalog fields and headline metrics.
 *
 * @example
 * ```ts
 * const { workflows } = await listWorkflows(store, catalog, Date.now());
 * ```
 */
export const listWorkflows = async (
  store: MetricsStore,
  catalog: LoadedCatalog,
  nowMs: number,
): Promise<{ workflows: WorkflowListEntry[] }> => {
  const seen = await store.listWorkflows();
  const seenById = new Map(seen.map((record) => [record.workflowId, record]));
  const ids = [...new Set([...catalog.catalog.workflows.map((w) => w.id), ...seenById.keys()])].sort();
  const toMs = floorTo(nowMs, DAY_MS) + DAY_MS;
  const fromMs = toMs - 7 * DAY_MS;
  const workflows = await Promise.all(
    ids.map(async (workflowId): Promise<WorkflowListEntry> => {
      const { total } = await readRange(store, { workflowId, fromMs, toMs, granularity: 'day' });
      const m = deriveMetrics(total, catalog.assumptionsFor(workflowId));
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
          valueUsd: m.valueUsd,
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
    }),
  );
  return { workflows };
};
