import { Verdict, type VerdictName } from '../../../../shared/verdicts/verdict.ts';
import type { DigestWorkflow, Verdicts, WorkflowListEntry } from './api.ts';
import { ChartBudget } from './budgets.ts';

/**
 * Verdicts that ask the owner to act: these workflows are flagged. `scale` needs nothing, `watch`
 * says nothing is wrong, and `not-enough-data` has no evidence to act on (a new or idle workflow).
 */
export const FLAGGING_VERDICTS: ReadonlySet<VerdictName> = new Set([
  Verdict.stop,
  Verdict.fix,
  Verdict.stalled,
  Verdict.unproven,
]);

/** The catalog targets one workflow misses over the last 7 days, by the figure that misses. */
export interface MissedTargets {
  readonly acceptance: boolean;
  readonly override: boolean;
  readonly roi: boolean;
}

/**
 * Which catalog targets a workflow's last 7 days miss: the acceptance rate's 95 % lower bound below
 * its minimum, the override rate above its maximum, a known ROI below its minimum.
 *
 * @example
 * ```ts
 * missedTargets(entry).override; // true when overridden more often than the catalog allows
 * ```
 */
export const missedTargets = (w: WorkflowListEntry): MissedTargets => {
  const m = w.last7Days;
  const t = w.targets ?? {};
  return {
    acceptance:
      t.minAcceptanceRate !== undefined &&
      m.acceptanceRateLow95 !== null &&
      m.acceptanceRateLow95 < t.minAcceptanceRate,
    override:
      t.maxOverrideRate !== undefined && m.overrideRate !== null && m.overrideRate > t.maxOverrideRate,
    roi: t.minRoi !== undefined && m.roi !== null && m.roi < t.minRoi,
  };
};

/**
 * Flagged: the digest's verdict asks for action, or a catalog target is missed.
 *
 * @example
 * ```ts
 * isFlagged(entry, verdicts?.byWorkflow.get(entry.workflowId));
 * ```
 */
export const isFlagged = (w: WorkflowListEntry, verdict: DigestWorkflow | undefined): boolean => {
  const missed = missedTargets(w);
  return (
    (verdict !== undefined && FLAGGING_VERDICTS.has(verdict.verdict)) ||
    missed.acceptance ||
    missed.override ||
    missed.roi
  );
};

const size = (w: WorkflowListEntry) => Math.max(w.last7Days.costUsd, Math.abs(w.last7Days.valueUsd ?? 0));
const bySize = (a: WorkflowListEntry, b: WorkflowListEntry) =>
  size(b) - size(a) || a.workflowId.localeCompare(b.workflowId);

/**
 * The workflows that matter most, largest first: the {@link ChartBudget.largestEach} costliest and
 * most valuable, every flagged one the budget allows (largest first), then the next largest.
 *
 * @example
 * ```ts
 * chartedWorkflows(page.workflows, verdicts).length; // ≤ ChartBudget.total whatever the fleet
 * ```
 */
export const chartedWorkflows = (
  workflows: readonly WorkflowListEntry[],
  verdicts: Verdicts | null,
  budget: { readonly largestEach: number; readonly total: number } = ChartBudget,
): WorkflowListEntry[] => {
  const top = (pick: (w: WorkflowListEntry) => number) =>
    workflows
      .filter((w) => pick(w) > 0)
      .sort((a, b) => pick(b) - pick(a) || a.workflowId.localeCompare(b.workflowId))
      .slice(0, budget.largestEach);
  const chosen = new Set([
    ...top((w) => w.last7Days.costUsd),
    ...top((w) => w.last7Days.valueUsd ?? 0),
    ...workflows.filter((w) => isFlagged(w, verdicts?.byWorkflow.get(w.workflowId))).sort(bySize),
    ...[...workflows].sort(bySize),
  ]);
  return [...chosen].slice(0, budget.total).sort(bySize);
};
