import type { BoundedFigures } from '../../../../shared/format/figures.ts';
import { netIsKnown, roiIsKnown } from '../../../../shared/metrics/derive.ts';
import type { WorkflowListEntry } from './api.ts';

/** The fleet's last-7-days sums as the KPI tiles show them, with the same unknowns as one workflow. */
export interface FleetTotals extends BoundedFigures {
  readonly workflows: number;
  readonly inCatalog: number;
  readonly runs: number;
  /** Null when no workflow's time saved is known; else the sum of the known ones. */
  readonly hoursSaved: number | null;
  readonly reviews: number;
  readonly acceptanceRate: number | null;
  readonly overrideRate: number | null;
}

/**
 * Sums the loaded workflows' headline figures. Value is known when any workflow's is, and a lower
 * bound unless every success is valued; net and ROI follow the metrics' own rules (netIsKnown,
 * roiIsKnown in shared/metrics/derive.ts), so the tiles never claim more than the rows do.
 *
 * @example
 * ```ts
 * fleetTotals(page.workflows).roi; // null when any usage is unpriced
 * ```
 */
export const fleetTotals = (workflows: readonly WorkflowListEntry[]): FleetTotals => {
  const sum = (pick: (m: WorkflowListEntry['last7Days']) => number | null) =>
    workflows.reduce((total, w) => total + (pick(w.last7Days) ?? 0), 0);
  // Successes and valued successes are not in the headline; rates × runs give them back.
  const succeeded = sum((m) => (m.successRate ?? 0) * m.runs);
  const valued = sum((m) => (m.valueCoverage ?? 0) * (m.successRate ?? 0) * m.runs);
  const valueKnown = workflows.some((w) => w.last7Days.valueUsd !== null);
  const valueUsd = valueKnown ? sum((m) => m.valueUsd) : null;
  const costUsd = sum((m) => m.costUsd);
  const costComplete = workflows.every((w) => w.last7Days.costComplete);
  const valueCoverage = succeeded > 0 ? Math.min(1, Math.round((valued / succeeded) * 1e6) / 1e6) : null;
  const netKnown = netIsKnown({
    valueKnown,
    valueComplete: valueCoverage === null || valueCoverage >= 1,
    costComplete,
  });
  const netValueUsd = netKnown && valueUsd !== null ? valueUsd - costUsd : null;
  const roiKnown = roiIsKnown({ netKnown, costComplete, costIsZero: costUsd === 0 });
  const reviews = sum((m) => m.reviews);
  return {
    workflows: workflows.length,
    inCatalog: workflows.filter((w) => w.inCatalog).length,
    runs: sum((m) => m.runs),
    valueUsd,
    valueCoverage,
    costUsd,
    costComplete,
    netValueUsd,
    roi: roiKnown && netValueUsd !== null ? netValueUsd / costUsd : null,
    hoursSaved: workflows.some((w) => w.last7Days.hoursSaved !== null) ? sum((m) => m.hoursSaved) : null,
    reviews,
    acceptanceRate: reviews ? sum((m) => (m.acceptanceRate ?? 0) * m.reviews) / reviews : null,
    overrideRate: reviews ? sum((m) => (m.overrideRate ?? 0) * m.reviews) / reviews : null,
  };
};
