import type { LoadedCatalog } from '../catalog/load.ts';
import { COUNTER_FIELDS, type Counters } from '../metrics/counters.ts';
import { readRange } from '../query/metrics-query.ts';
import { queryWorkflowVariants } from '../query/variants-query.ts';
import { allWorkflowIds } from '../query/workflow-list.ts';
import type { MetricsStore } from '../store/port.ts';
import { DAY_MS, isoWeekStart } from '../time.ts';
import type { WorkflowWeeks } from './build.ts';

const WEEK_MS = 7 * DAY_MS;

const isEmpty = (counters: Counters) => COUNTER_FIELDS.every((field) => counters.values[field] === 0n);

/**
 * Reads the daily counters of the week and the three weeks before (the two oldest feed only the
 * four-week adoption trend) for every workflow in the catalog or
 * seen by the store, and the week's variants for a workflow whose catalog entry names a baseline
 * variant (only those: the others cost no extra reads). Workflows outside the catalog with no events
 * in either week are left out.
 *
 * @example
 * ```ts
 * const workflows = await collectWorkflowWeeks(store, catalog, '2026-W47');
 * ```
 */
export const collectWorkflowWeeks = async (
  store: MetricsStore,
  catalog: LoadedCatalog,
  week: string,
): Promise<WorkflowWeeks[]> => {
  const startMs = isoWeekStart(week);
  const ids = await allWorkflowIds(store, catalog);
  const weeks = await Promise.all(
    ids.map(async (workflowId): Promise<WorkflowWeeks> => {
      const week = { workflowId, fromMs: startMs, toMs: startMs + WEEK_MS, granularity: 'day' } as const;
      const weekBefore = (n: number) => ({
        ...week,
        fromMs: startMs - n * WEEK_MS,
        toMs: startMs - (n - 1) * WEEK_MS,
      });
      const [third, second, previous, current, variants] = await Promise.all([
        // The two weeks before `previous` only feed the four-week adoption trend.
        readRange(store, weekBefore(3)),
        readRange(store, weekBefore(2)),
        readRange(store, weekBefore(1)),
        readRange(store, week),
        catalog.workflow(workflowId)?.baselineVariant === undefined
          ? undefined
          : queryWorkflowVariants(store, catalog, week),
      ]);
      return {
        workflowId,
        current: current.total,
        previous: previous.total,
        earlier: [third.total, second.total],
        ...(variants ? { variants } : {}),
      };
    }),
  );
  return weeks.filter(
    (w) => catalog.workflow(w.workflowId) !== undefined || !isEmpty(w.current) || !isEmpty(w.previous),
  );
};
