import { netIsKnown, roiIsKnown, type WorkflowMetrics } from '../metrics/derive.ts';
import { type Change, type FleetFigures, WEEK_FIGURE_KEYS, type WeekFigures } from './model.ts';

/** Keeps the digest's figures: the metrics a leader reads (docs/counting.md), top three override reasons. */
export const weekFigures = (m: WorkflowMetrics): WeekFigures => ({
  ...(Object.fromEntries(WEEK_FIGURE_KEYS.map((key) => [key, m[key]])) as WeekFigures),
  topOverrideReasons: m.topOverrideReasons.slice(0, 3),
});

// Sums of USD figures are rounded back to whole nano-USD, the unit they were counted in.
const nanoRound = (usd: number) => Math.round(usd * 1e9) / 1e9;
const hourRound = (hours: number) => Math.round(hours * 1e4) / 1e4;

/** Sums a week's figures over the fleet; ROI is recomputed from the sums, never averaged. */
export const fleetFigures = (weeks: readonly WeekFigures[]): FleetFigures => {
  const sum = (pick: (w: WeekFigures) => number | null) =>
    weeks.reduce((total, w) => total + (pick(w) ?? 0), 0);
  const costUsd = nanoRound(sum((w) => w.costUsd));
  const succeeded = sum((w) => w.succeeded);
  const valuedSuccesses = sum((w) => w.valuedSuccesses);
  const valueKnown = weeks.some((w) => w.valueUsd !== null);
  const valueUsd = valueKnown ? nanoRound(sum((w) => w.valueUsd)) : null;
  const unpricedUsageEvents = sum((w) => w.unpricedUsageEvents);
  const costComplete = unpricedUsageEvents === 0;
  const netKnown = netIsKnown({ valueKnown, valueComplete: valuedSuccesses === succeeded, costComplete });
  const netValueUsd = netKnown && valueUsd !== null ? nanoRound(valueUsd - costUsd) : null;
  const roiKnown = roiIsKnown({ netKnown, costComplete, costIsZero: costUsd === 0 });
  return {
    workflows: weeks.length,
    runs: sum((w) => w.runs),
    succeeded,
    valuedSuccesses,
    valueCoverage: succeeded === 0 ? null : Math.round((valuedSuccesses / succeeded) * 1e6) / 1e6,
    valueUsd,
    valueReportedUsd: nanoRound(sum((w) => w.valueReportedUsd)),
    valueAssumedUsd: nanoRound(sum((w) => w.valueAssumedUsd)),
    costUsd,
    costReportedUsd: nanoRound(sum((w) => w.costReportedUsd)),
    costCatalogPricedUsd: nanoRound(sum((w) => w.costCatalogPricedUsd)),
    costComplete,
    netValueUsd,
    roi: roiKnown && netValueUsd !== null ? Math.round((netValueUsd / costUsd) * 1e4) / 1e4 : null,
    // Unknown only when no workflow's time saved is known; otherwise the sum of the known ones.
    hoursSaved: weeks.some((w) => w.hoursSaved !== null) ? hourRound(sum((w) => w.hoursSaved)) : null,
    hoursSavedReported: hourRound(sum((w) => w.hoursSavedReported)),
    hoursSavedAssumed: hourRound(sum((w) => w.hoursSavedAssumed)),
    unpricedUsageEvents,
  };
};

/** The change of a figure from last week to this week; unknown when either week's figure is. */
export const change = (current: number | null, previous: number | null): Change => ({
  current,
  previous,
  absolute: current === null || previous === null ? null : nanoRound(current - previous),
  percent:
    current === null || previous === null || previous === 0
      ? null
      : Math.round(((current - previous) / Math.abs(previous)) * 1e4) / 1e4,
});
