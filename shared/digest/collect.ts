import type { LoadedCatalog } from '../catalog/load.ts';
import { COUNTER_FIELDS, type Counters, emptyCounters, mergeCounters } from '../metrics/counters.ts';
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
      // One read of the four weeks, summed per week: the two oldest feed only the adoption trend.
      const [days, variants] = await Promise.all([
        readRange(store, { ...week, fromMs: startMs - 3 * WEEK_MS }),
        catalog.workflow(workflowId)?.baselineVariant === undefined
          ? undefined
          : queryWorkflowVariants(store, catalog, week),
      ]);
      const [third, second, previous, current] = [0, 1, 2, 3].map((w) =>
        days.series
          .slice(w * 7, w * 7 + 7)
          .reduce((total, day) => mergeCounters(total, day.counters), emptyCounters()),
      ) as [Counters, Counters, Counters, Counters];
      return {
        workflowId,
        current,
        previous,
        earlier: [third, second],
        ...(variants ? { variants } : {}),
      };
    }),
  );
  return weeks.filter(
    (w) => catalog.workflow(w.workflowId) !== undefined || !isEmpty(w.current) || !isEmpty(w.previous),
  );
};
