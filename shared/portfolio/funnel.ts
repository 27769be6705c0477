import type { DigestWorkflow } from '../digest/model.ts';
import { DAY_MS, isoWeekStart } from '../time.ts';
import type { VerdictName } from '../verdicts/verdict.ts';
import type { VerdictHistory } from './history.ts';
import {
  FunnelAction,
  type FunnelEntry,
  type HistoryWeek,
  type PilotFunnel,
  PROMOTE_AFTER_SCALE_WEEKS,
  STOP_AFTER_STUCK_WEEKS,
  STUCK_VERDICTS,
} from './model.ts';

const WEEK_MS = 7 * DAY_MS;

/** Whole weeks from `pilotSince` (a date) to the end of `week`; 0 for a pilot that starts later. */
export const weeksInPilot = (pilotSince: string, week: string): number =>
  Math.max(0, Math.floor((isoWeekStart(week) + WEEK_MS - Date.parse(`${pilotSince}T00:00:00Z`)) / WEEK_MS));

/** How many weeks at the end of `history` satisfy `holds`; a week without a verdict ends the run. */
export const trailingWeeks = (
  history: readonly HistoryWeek[],
  holds: (v: VerdictName) => boolean,
): number => {
  let weeks = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const verdict = history[i]?.verdict;
    if (verdict === null || verdict === undefined || !holds(verdict)) break;
    weeks++;
  }
  return weeks;
};

const isStuck = (v: VerdictName) => STUCK_VERDICTS.includes(v);

/**
 * The streak rules (docs/portfolio.md, Streaks): a pilot `scale` {@link PROMOTE_AFTER_SCALE_WEEKS}
 * weeks running is ready to promote; any workflow `unproven` or `stalled`
 * {@link STOP_AFTER_STUCK_WEEKS} weeks running asks whether to stop it.
 *
 * @example
 * ```ts
 * streakOf(history, 'pilot').action?.message; // 'scale 3 weeks running: ready to promote'
 * ```
 */
export const streakOf = (
  history: readonly HistoryWeek[],
  stage: FunnelEntry['stage'],
): Pick<FunnelEntry, 'streak' | 'action'> => {
  const current = history.at(-1)?.verdict ?? null;
  if (current === null) return { streak: { label: 'no verdict', weeks: 0 }, action: null };
  if (isStuck(current)) {
    const weeks = trailingWeeks(history, isStuck);
    const label = trailingWeeks(history, (v) => v === current) === weeks ? current : 'unproven or stalled';
    return {
      streak: { label, weeks },
      action:
        weeks >= STOP_AFTER_STUCK_WEEKS
          ? {
              code: FunnelAction.decideWhetherToStop,
              weeks,
              message: `${label} ${weeks} weeks running: decide whether to stop`,
            }
          : null,
    };
  }
  const weeks = trailingWeeks(history, (v) => v === current);
  return {
    streak: { label: current, weeks },
    action:
      current === 'scale' && stage === 'pilot' && weeks >= PROMOTE_AFTER_SCALE_WEEKS
        ? {
            code: FunnelAction.readyToPromote,
            weeks,
            message: `scale ${weeks} weeks running: ready to promote`,
          }
        : null,
  };
};

const entryOf = (w: DigestWorkflow, week: string, history: VerdictHistory): FunnelEntry => {
  const weeks: HistoryWeek[] = [
    ...history.weeks.map((h) => ({ week: h, verdict: history.byWeek[h]?.[w.workflowId] ?? null })),
    { week, verdict: w.verdict },
  ];
  return {
    workflowId: w.workflowId,
    name: w.name,
    ownerTeam: w.ownerTeam,
    businessFunction: w.businessFunction,
    stage: w.stage,
    pilotSince: w.pilotSince,
    weeksInPilot: w.stage === 'pilot' && w.pilotSince !== null ? weeksInPilot(w.pilotSince, week) : null,
    verdict: w.verdict,
    history: weeks,
    ...streakOf(weeks, w.stage),
  };
};

const rank = (e: FunnelEntry) =>
  e.action?.code === FunnelAction.readyToPromote
    ? 0
    : e.action?.code === FunnelAction.decideWhetherToStop
      ? 1
      : e.stage === 'pilot'
        ? 2
        : 3;

/**
 * The pilot funnel of a week from the digest's workflows and the archived verdicts of the weeks before.
 *
 * @example
 * ```ts
 * pilotFunnel(digest.workflows, '2026-W47', history).readyToPromote; // 1
 * ```
 */
export const pilotFunnel = (
  workflows: readonly DigestWorkflow[],
  week: string,
  history: VerdictHistory,
): PilotFunnel => {
  const entries = workflows
    .filter((w) => w.inCatalog)
    .map((w) => entryOf(w, week, history))
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (b.weeksInPilot ?? -1) - (a.weeksInPilot ?? -1) ||
        a.workflowId.localeCompare(b.workflowId),
    );
  return {
    pilots: entries.filter((e) => e.stage === 'pilot').length,
    production: entries.filter((e) => e.stage === 'production').length,
    readyToPromote: entries.filter((e) => e.action?.code === FunnelAction.readyToPromote).length,
    decideWhetherToStop: entries.filter((e) => e.action?.code === FunnelAction.decideWhetherToStop).length,
    entries,
    newWorkflows: workflows
      .filter((w) => !w.inCatalog)
      .map((w) => ({ workflowId: w.workflowId, runs: w.current.runs, usageEvents: w.current.usageEvents }))
      .sort(
        (a, b) =>
          b.runs - a.runs || b.usageEvents - a.usageEvents || a.workflowId.localeCompare(b.workflowId),
      ),
    archivedWeeks: history.weeks.filter((h) => history.byWeek[h] !== null),
    missingWeeks: history.weeks.filter((h) => history.byWeek[h] === null),
  };
};
