import type { LoadedCatalog } from '../catalog/load.ts';
import { ADOPTION_TREND_WEEKS } from '../metrics/adoption.ts';
import { COUNTER_FIELDS, type Counters, emptyCounters } from '../metrics/counters.ts';
import { variantsFromCounters } from '../query/variants-query.ts';
import type { CountingStore, FleetWeekEntry } from '../store/port.ts';
import { DAY_MS, isoWeekStart } from '../time.ts';
import type { WorkflowWeeks } from './build.ts';
import { weeksEndingWith } from './weeks.ts';

const WEEK_MS = 7 * DAY_MS;

const isEmpty = (counters: Counters) => COUNTER_FIELDS.every((field) => counters.values[field] === 0n);

/**
 * Reads the fleet rollup of the week and the three weeks before (the two oldest feed only the
 * four-week adoption trend): {@link ADOPTION_TREND_WEEKS} fleet reads, a fixed number of Queries
 * whatever the fleet's size (docs/counting.md, "Fleet rollup"). Every workflow in the catalog or with
 * events in the week or the week before is reported; a workflow whose catalog entry names a baseline
 * variant gets its week's variants, from the same rollup (its named variants' weeks), so nothing is
 * read per workflow.
 *
 * @example
 * ```ts
 * const workflows = await collectWorkflowWeeks(store, catalog, '2026-W47');
 * ```
 */
export const collectWorkflowWeeks = async (
  store: CountingStore,
  catalog: LoadedCatalog,
  week: string,
): Promise<WorkflowWeeks[]> => {
  const startMs = isoWeekStart(week);
  const weeks = await Promise.all(
    weeksEndingWith(week, ADOPTION_TREND_WEEKS).map(async (name) => {
      const entries = await store.readFleetWeek(name);
      return new Map(entries.map((entry) => [entry.workflowId, entry]));
    }),
  );
  const [third, second, previous, current] = weeks as [
    Map<string, FleetWeekEntry>,
    Map<string, FleetWeekEntry>,
    Map<string, FleetWeekEntry>,
    Map<string, FleetWeekEntry>,
  ];
  const countersOf = (entries: Map<string, FleetWeekEntry>, workflowId: string) =>
    entries.get(workflowId)?.counters ?? emptyCounters();
  const ids = [
    ...new Set([...catalog.catalog.workflows.map((w) => w.id), ...current.keys(), ...previous.keys()]),
  ].sort();
  return ids
    .map((workflowId): WorkflowWeeks => {
      const variants =
        catalog.workflow(workflowId)?.baselineVariant === undefined
          ? undefined
          : variantsFromCounters(
              catalog,
              { workflowId, fromMs: startMs, toMs: startMs + WEEK_MS, granularity: 'day' },
              countersOf(current, workflowId),
              current.get(workflowId)?.variants ?? new Map(),
            );
      return {
        workflowId,
        current: countersOf(current, workflowId),
        previous: countersOf(previous, workflowId),
        earlier: [countersOf(third, workflowId), countersOf(second, workflowId)],
        ...(variants ? { variants } : {}),
      };
    })
    .filter(
      (w) => catalog.workflow(w.workflowId) !== undefined || !isEmpty(w.current) || !isEmpty(w.previous),
    );
};
