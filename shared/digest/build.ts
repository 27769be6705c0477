import type { LoadedCatalog } from '../catalog/load.ts';
import { adoptionOf } from '../metrics/adoption.ts';
import type { Counters } from '../metrics/counters.ts';
import { deriveMetrics } from '../metrics/derive.ts';
import { buildPortfolio } from '../portfolio/build.ts';
import type { VerdictHistory } from '../portfolio/history.ts';
import type { WorkflowVariantsResponse } from '../query/variants-query.ts';
import { isoWeekStart } from '../time.ts';
import { decideVerdict } from '../verdicts/decide.ts';
import { VERDICT_INFO, VERDICT_ORDER, type VerdictName } from '../verdicts/verdict.ts';
import { change, fleetFigures, weekFigures } from './figures.ts';
import type { DigestModel, DigestWorkflow } from './model.ts';
import { digestHeadline, digestNotes } from './notes.ts';
import { digestVariants } from './variants.ts';
import { previousWeek, weeksEndingWith } from './weeks.ts';

/** One workflow's stored counters for the digest's two weeks. */
export interface WorkflowWeeks {
  readonly workflowId: string;
  readonly current: Counters;
  readonly previous: Counters;
  /** The weeks before `previous`, oldest first, for the four-week adoption trend; absent: none read. */
  readonly earlier?: readonly Counters[];
  /** The week's variants and comparisons; read only for a workflow whose catalog names a baseline. */
  readonly variants?: WorkflowVariantsResponse;
}

export interface DigestInput {
  readonly week: string;
  readonly generatedAt: string;
  readonly catalog: LoadedCatalog;
  readonly workflows: readonly WorkflowWeeks[];
  /** The archived verdicts of the weeks before, for the portfolio's streaks; absent: none known. */
  readonly history?: VerdictHistory;
}

export { VERDICT_ORDER } from '../verdicts/verdict.ts';

const buildWorkflow = (catalog: LoadedCatalog, week: string, weeks: WorkflowWeeks): DigestWorkflow => {
  const entry = catalog.workflow(weeks.workflowId);
  const counted = [...(weeks.earlier ?? []), weeks.previous, weeks.current];
  const names = weeksEndingWith(week, counted.length);
  const adoption = adoptionOf(
    counted.map((counters, i) => ({ week: names[i] ?? week, counters })),
    entry?.eligibleUsers ?? null,
  );
  const assumptions = catalog.assumptionsFor(weeks.workflowId);
  const current = weekFigures(deriveMetrics(weeks.current, assumptions));
  const previous = weekFigures(deriveMetrics(weeks.previous, assumptions));
  const variants =
    entry?.baselineVariant !== undefined && weeks.variants
      ? digestVariants(
          { ...weeks.variants, baselineVariant: entry.baselineVariant },
          assumptions.valuePerSuccessUsd ?? null,
        )
      : null;
  const verdict = decideVerdict({
    current,
    previous,
    inCatalog: entry !== undefined,
    ...(entry ? { targets: entry.targets } : {}),
    ...(assumptions.valuePerSuccessUsd !== undefined
      ? { valuePerSuccessUsd: assumptions.valuePerSuccessUsd }
      : {}),
    // A claimed measured value against a human-only baseline outranks the assumption for ROI.
    ...(variants?.verdictMeasuredValue ? { measured: variants.verdictMeasuredValue } : {}),
    adoption,
  });
  return {
    workflowId: weeks.workflowId,
    name: entry?.name ?? weeks.workflowId,
    ownerTeam: entry?.ownerTeam ?? null,
    stage: entry?.stage ?? null,
    businessFunction: entry?.businessFunction ?? null,
    pilotSince: entry?.pilotSince ?? null,
    inCatalog: entry !== undefined,
    verdict: verdict.verdict,
    verdictLabel: VERDICT_INFO[verdict.verdict].label,
    reason: verdict.reason,
    findings: verdict.findings,
    targets: verdict.targets,
    assumptions: {
      valuePerSuccessUsd: assumptions.valuePerSuccessUsd ?? null,
      minutesSavedPerSuccess: assumptions.minutesSavedPerSuccess ?? null,
    },
    variants,
    adoption,
    current,
    previous,
    change: {
      runs: change(current.runs, previous.runs),
      valueUsd: change(current.valueUsd, previous.valueUsd),
      netValueUsd: change(current.netValueUsd, previous.netValueUsd),
    },
    pricedBy: Object.fromEntries(
      [...weeks.current.pricedBy].sort(([a], [b]) => a.localeCompare(b)).map(([ref, n]) => [ref, Number(n)]),
    ),
  };
};

/**
 * Builds the weekly digest from stored counters. Pure: the same counters, catalog and week give the
 * same digest, so it can be rebuilt for any past week and tested without a database.
 *
 * @example
 * ```ts
 * const digest = buildDigest({ week: '2026-W47', generatedAt: new Date().toISOString(), catalog, workflows });
 * digest.workflows[0]?.verdict; // 'scale'
 * ```
 */
export const buildDigest = (input: DigestInput): DigestModel => {
  const startMs = isoWeekStart(input.week);
  const workflows = input.workflows
    .map((weeks) => buildWorkflow(input.catalog, input.week, weeks))
    .sort(
      (a, b) =>
        VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) ||
        // Unknown net value sorts after every known one within a verdict.
        (b.current.netValueUsd ?? Number.NEGATIVE_INFINITY) -
          (a.current.netValueUsd ?? Number.NEGATIVE_INFINITY) ||
        a.workflowId.localeCompare(b.workflowId),
    );
  const current = fleetFigures(workflows.map((w) => w.current));
  const previous = fleetFigures(workflows.map((w) => w.previous));
  const verdictCounts = Object.fromEntries(
    VERDICT_ORDER.map((verdict) => [verdict, workflows.filter((w) => w.verdict === verdict).length]),
  ) as Record<VerdictName, number>;
  const fleet = {
    current,
    previous,
    change: {
      valueUsd: change(current.valueUsd, previous.valueUsd),
      costUsd: change(current.costUsd, previous.costUsd),
      netValueUsd: change(current.netValueUsd, previous.netValueUsd),
      hoursSaved: change(current.hoursSaved, previous.hoursSaved),
      runs: change(current.runs, previous.runs),
    },
  };
  const base = {
    kind: 'yardstick.weekly-digest' as const,
    schemaVersion: 1 as const,
    week: input.week,
    previousWeek: previousWeek(input.week),
    from: new Date(startMs).toISOString(),
    to: new Date(startMs + 7 * 86_400_000).toISOString(),
    generatedAt: input.generatedAt,
    catalog: input.catalog.origin,
    // First in the JSON as in the e-mail: the portfolio is what leadership reads first.
    portfolio: buildPortfolio({
      week: input.week,
      workflows,
      ...(input.history ? { history: input.history } : {}),
    }),
    fleet,
    verdictCounts,
    workflows,
  };
  return { ...base, headline: digestHeadline(base), notes: digestNotes(base) };
};
