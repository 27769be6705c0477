import type { BatchReport } from '../ingest/count-batch.ts';
import { RecordOutcome, type RecordOutcomeName } from '../ingest/count-batch.ts';
import { nanosToUsd } from '../money.ts';
import type { AcceptedEvent } from '../store/port.ts';

/** What the metrics need of a counted event: its ref, the validated event and its counter delta. */
export type CountedEvent = Pick<AcceptedEvent, 'ref' | 'event' | 'delta'>;

/** One workflow's share of a batch: only events counted now (not duplicates, conflicts or failures). */
export interface WorkflowBatchFigures {
  /** Outcome events: succeeded + failed + abandoned. */
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Reported plus catalog-priced cost; unpriced usage adds nothing. */
  readonly costUsd: number;
  /** Value the workflow reported itself (catalog assumptions are applied at read time, not here). */
  readonly reportedValueUsd: number;
  /** Human decisions: accepted + edited + rejected + escalated. */
  readonly reviews: number;
  /** Edited + rejected. */
  readonly overrides: number;
  readonly escalations: number;
  /** `latencyMs` of each usage event, in batch order. */
  readonly latenciesMs: readonly number[];
}

/** The batch's pipeline health: counts by outcome and the lag of counted events. */
export interface PipelineBatchFigures {
  readonly received: number;
  readonly counted: number;
  readonly duplicates: number;
  readonly conflicts: number;
  readonly quarantined: number;
  /** Refs whose write failed and will be redelivered. */
  readonly failed: number;
  /** Arrival − occurredAt of each counted event, in milliseconds. */
  readonly lagsMs: readonly number[];
}

export interface BatchFigures {
  readonly pipeline: PipelineBatchFigures;
  /** By workflowId, sorted by id; workflows with no counted event are absent. */
  readonly workflows: ReadonlyMap<string, WorkflowBatchFigures>;
}

interface WorkflowSums {
  runs: bigint;
  succeeded: bigint;
  failed: bigint;
  costNanos: bigint;
  valueNanos: bigint;
  reviews: bigint;
  overrides: bigint;
  escalations: bigint;
  latenciesMs: number[];
}

const emptySums = (): WorkflowSums => ({
  runs: 0n,
  succeeded: 0n,
  failed: 0n,
  costNanos: 0n,
  valueNanos: 0n,
  reviews: 0n,
  overrides: 0n,
  escalations: 0n,
  latenciesMs: [],
});

/**
 * Sums a batch for ops metrics. Only events the report marks `counted` contribute per-workflow
 * figures, so a redelivered batch adds nothing twice to a dashboard that sums them.
 *
 * @example
 * ```ts
 * const { pipeline, workflows } = batchFigures(report, counted);
 * workflows.get('invoice-triage')?.runs; // 3
 * ```
 */
export const batchFigures = (report: BatchReport, counted: readonly CountedEvent[]): BatchFigures => {
  const tally = new Map<RecordOutcomeName, number>();
  for (const outcome of report.outcomes.values()) tally.set(outcome, (tally.get(outcome) ?? 0) + 1);

  const sums = new Map<string, WorkflowSums>();
  const seen = new Set<string>();
  for (const { ref, event, delta } of counted) {
    if (report.outcomes.get(ref) !== RecordOutcome.counted || seen.has(ref)) continue;
    seen.add(ref);
    const workflowId = event.detail.workflowId;
    const s = sums.get(workflowId) ?? emptySums();
    sums.set(workflowId, s);
    const v = delta.values;
    s.runs += v.succeeded + v.failed + v.abandoned;
    s.succeeded += v.succeeded;
    s.failed += v.failed;
    s.costNanos += v.costReportedNanos + v.costPricedNanos;
    s.valueNanos += v.valueReportedNanos;
    s.reviews += v.accepted + v.edited + v.rejected + v.escalated;
    s.overrides += v.edited + v.rejected;
    s.escalations += v.escalated;
    if (event.kind === 'ai.workflow.usage') s.latenciesMs.push(event.detail.latencyMs);
  }

  const workflows = new Map<string, WorkflowBatchFigures>();
  for (const workflowId of [...sums.keys()].sort()) {
    const s = sums.get(workflowId) ?? emptySums();
    workflows.set(workflowId, {
      runs: Number(s.runs),
      succeeded: Number(s.succeeded),
      failed: Number(s.failed),
      costUsd: nanosToUsd(s.costNanos),
      reportedValueUsd: nanosToUsd(s.valueNanos),
      reviews: Number(s.reviews),
      overrides: Number(s.overrides),
      escalations: Number(s.escalations),
      latenciesMs: s.latenciesMs,
    });
  }

  const count = (outcome: RecordOutcomeName) => tally.get(outcome) ?? 0;
  return {
    pipeline: {
      received: report.outcomes.size,
      counted: count(RecordOutcome.counted),
      duplicates: count(RecordOutcome.duplicate),
      conflicts: count(RecordOutcome.conflict),
      quarantined: count(RecordOutcome.quarantined),
      failed: count(RecordOutcome.failed),
      lagsMs: report.lagsMs,
    },
    workflows,
  };
};
