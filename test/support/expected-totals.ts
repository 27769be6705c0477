import type { WorkflowMetrics } from '../../shared/metrics/derive.ts';
import { type Facts, Kind, type Schedule } from './fault-schedule.ts';

/**
 * The oracle of the fault-injection property test: what a workflow's totals must be, computed from
 * the facts a schedule's events were built from (integers), by plain sums that share no code with
 * the counting path. An eventId sent with conflicting contents counts exactly one of them, and
 * which one depends on which copy's write lands first; so the oracle yields one expectation per
 * possible choice, and the totals read back must equal one of them.
 */

/** The totals compared, as the query API reports them. */
export type ComparedTotals = Pick<
  WorkflowMetrics,
  | 'runs'
  | 'succeeded'
  | 'failed'
  | 'abandoned'
  | 'usageEvents'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'unpricedUsageEvents'
  | 'costUsd'
  | 'valueReportedUsd'
  | 'accepted'
  | 'edited'
  | 'rejected'
  | 'escalated'
  | 'reviews'
  | 'activeUsers'
> & { readonly reasons: Readonly<Record<string, number>> };

export const comparedTotalsOf = (metrics: WorkflowMetrics): ComparedTotals => ({
  runs: metrics.runs,
  succeeded: metrics.succeeded,
  failed: metrics.failed,
  abandoned: metrics.abandoned,
  usageEvents: metrics.usageEvents,
  inputTokens: metrics.inputTokens,
  outputTokens: metrics.outputTokens,
  cachedInputTokens: metrics.cachedInputTokens,
  unpricedUsageEvents: metrics.unpricedUsageEvents,
  costUsd: metrics.costUsd,
  valueReportedUsd: metrics.valueReportedUsd,
  accepted: metrics.accepted,
  edited: metrics.edited,
  rejected: metrics.rejected,
  escalated: metrics.escalated,
  reviews: metrics.reviews,
  activeUsers: metrics.activeUsers,
  reasons: Object.fromEntries(
    [...metrics.topOverrideReasons]
      .sort((a, b) => (a.reasonCode < b.reasonCode ? -1 : 1))
      .map((r) => [r.reasonCode, r.count]),
  ),
});

const totalsOfFacts = (counted: readonly Facts[]): ComparedTotals => {
  const count = (predicate: (f: Facts) => boolean) => counted.filter(predicate).length;
  const sum = (value: (f: Facts) => number | undefined) => counted.reduce((t, f) => t + (value(f) ?? 0), 0);
  const usage = (f: Facts) => f.kind === Kind.usage;
  const reasons: Record<string, number> = {};
  for (const f of [...counted].sort((a, b) => ((a.reasonCode ?? '') < (b.reasonCode ?? '') ? -1 : 1))) {
    if (f.kind === Kind.override && f.reasonCode) reasons[f.reasonCode] = (reasons[f.reasonCode] ?? 0) + 1;
  }
  const succeeded = count((f) => f.status === 'succeeded');
  const failed = count((f) => f.status === 'failed');
  const abandoned = count((f) => f.status === 'abandoned');
  const decisions = DECISION_NAMES.map((d) => count((f) => f.decision === d));
  return {
    runs: succeeded + failed + abandoned,
    succeeded,
    failed,
    abandoned,
    usageEvents: count(usage),
    inputTokens: sum((f) => f.inputTokens),
    outputTokens: sum((f) => f.outputTokens),
    cachedInputTokens: sum((f) => f.cachedInputTokens),
    unpricedUsageEvents: count((f) => usage(f) && f.costMicros === undefined),
    // Integer micro-dollars summed exactly, then divided once: the nearest double to the exact sum.
    costUsd: sum((f) => f.costMicros) / 1e6,
    valueReportedUsd: sum((f) => f.valueMicros) / 1e6,
    accepted: decisions[0] ?? 0,
    edited: decisions[1] ?? 0,
    rejected: decisions[2] ?? 0,
    escalated: decisions[3] ?? 0,
    reviews: decisions.reduce((a, b) => a + b, 0),
    activeUsers: new Set(counted.flatMap((f) => (f.userId ? [f.userId] : []))).size,
    reasons,
  };
};

const DECISION_NAMES = ['accepted', 'edited', 'rejected', 'escalated'] as const;

/**
 * Every totals a workflow may show once all deliveries drained: one per choice of the version that
 * counts for each eventId sent with conflicting contents (usually one or a handful).
 *
 * @example
 * ```ts
 * const allowed = expectedTotals(schedule, 'fs-1-w0');
 * expect(allowed).toContainEqual(comparedTotalsOf(response.totals));
 * ```
 */
export const expectedTotals = (schedule: Schedule, workflowId: string): ComparedTotals[] => {
  let choices: Array<Array<{ facts: Facts; conflicted: boolean }>> = [[]];
  for (const event of schedule.events) {
    if (event.workflowId !== workflowId) continue;
    const distinct = [...new Map(event.versions.map((v) => [JSON.stringify(v.facts), v.facts])).values()];
    const conflicted = distinct.length > 1;
    choices = choices.flatMap((chosen) => distinct.map((facts) => [...chosen, { facts, conflicted }]));
  }
  const totals = choices.map((chosen) => totalsOfFacts(chosen.map(({ facts }) => facts)));
  return [...new Map(totals.map((t) => [JSON.stringify(t), t])).values()];
};

/** The eventIds of a workflow sent with conflicting contents: each must be recorded as a conflict. */
export const conflictedEventIds = (schedule: Schedule, workflowId: string): string[] =>
  schedule.events
    .filter(
      (e) => e.workflowId === workflowId && new Set(e.versions.map((v) => JSON.stringify(v.facts))).size > 1,
    )
    .map((e) => e.eventId)
    .sort();
