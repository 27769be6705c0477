import type { WorkflowStage } from '../catalog/schema.ts';
import type { VerdictName } from '../verdicts/verdict.ts';

/** A pilot that was `scale` this many weeks running (this week included) is ready to promote. */
export const PROMOTE_AFTER_SCALE_WEEKS = 3;
/** A workflow `unproven` or `stalled` this many weeks running asks for a decision whether to stop. */
export const STOP_AFTER_STUCK_WEEKS = 4;
/** Weeks of verdict history the funnel shows, this week included (the rest come from the archive). */
export const HISTORY_WEEKS = 6;
/** The verdicts that count towards "decide whether to stop". */
export const STUCK_VERDICTS: readonly VerdictName[] = ['unproven', 'stalled'];

/** What the funnel asks of leadership about one workflow. */
export const FunnelAction = {
  readyToPromote: 'ready-to-promote',
  decideWhetherToStop: 'decide-whether-to-stop',
} as const;
export type FunnelActionName = (typeof FunnelAction)[keyof typeof FunnelAction];

/**
 * Sums over a group of workflows, with the digest's unknowns (docs/counting.md, Unknown is not zero):
 * value sums the workflows whose value is known, cost is a lower bound when `costComplete` is false,
 * ROI is recomputed from the sums. Every count and amount is additive, so a table's totals are the
 * sum of its rows exactly.
 */
export interface PortfolioFigures {
  readonly workflows: number;
  readonly pilots: number;
  readonly production: number;
  readonly notInCatalog: number;
  readonly runs: number;
  readonly succeeded: number;
  readonly valuedSuccesses: number;
  readonly valueCoverage: number | null;
  /** Reported plus assumed value of the workflows whose value is known; null when none is. */
  readonly valueUsd: number | null;
  readonly valueReportedUsd: number;
  readonly valueAssumedUsd: number;
  /** Net value measured against a human-only baseline (claimed only), summed; null when none. */
  readonly valueMeasuredNetUsd: number | null;
  /** Workflows whose measured net value is in `valueMeasuredNetUsd`. */
  readonly measuredWorkflows: number;
  readonly costUsd: number;
  readonly costComplete: boolean;
  readonly unpricedUsageEvents: number;
  readonly netValueUsd: number | null;
  readonly roi: number | null;
  /** Hours saved of the workflows whose time saved is known; null when none is. */
  readonly hoursSaved: number | null;
  /** Weekly active users summed over the workflows whose adoption is known (a person on two counts twice). */
  readonly activeUsers: number;
  /** Eligible users summed over the same workflows. */
  readonly eligibleUsers: number;
  /** `activeUsers ÷ eligibleUsers`; null when no workflow's adoption is known. */
  readonly adoptionRate: number | null;
  /** Workflows whose adoption is known (catalog eligibleUsers and userIds reported). */
  readonly adoptionKnown: number;
  readonly verdicts: Readonly<Record<VerdictName, number>>;
}

/** One row of a portfolio table: a business function or an owner team. */
export interface PortfolioRow extends PortfolioFigures {
  readonly key: string;
  readonly label: string;
  readonly workflowIds: readonly string[];
}

/** One week of a workflow's verdict history; null when no archived digest (or no verdict) says. */
export interface HistoryWeek {
  readonly week: string;
  readonly verdict: VerdictName | null;
}

export interface FunnelEntry {
  readonly workflowId: string;
  readonly name: string;
  readonly ownerTeam: string | null;
  readonly businessFunction: string | null;
  readonly stage: (typeof WorkflowStage)[keyof typeof WorkflowStage] | null;
  readonly pilotSince: string | null;
  /** Whole weeks from pilotSince to the end of the week; null for production or without pilotSince. */
  readonly weeksInPilot: number | null;
  readonly verdict: VerdictName;
  /** Oldest first, ending with this week. */
  readonly history: readonly HistoryWeek[];
  /** This week's verdict (or "unproven or stalled") and how many weeks running, this week included. */
  readonly streak: { readonly label: string; readonly weeks: number };
  readonly action: {
    readonly code: FunnelActionName;
    readonly weeks: number;
    /** `scale 3 weeks running: ready to promote`. */
    readonly message: string;
  } | null;
}

/** Pilots against production, how long pilots have been pilots, streaks, and new workflows. */
export interface PilotFunnel {
  readonly pilots: number;
  readonly production: number;
  readonly readyToPromote: number;
  readonly decideWhetherToStop: number;
  /** Catalog workflows: those with an action first, then pilots by weeks in pilot, then production. */
  readonly entries: readonly FunnelEntry[];
  /** Workflows seen this week or last that are not in the catalog yet. */
  readonly newWorkflows: ReadonlyArray<{
    readonly workflowId: string;
    readonly runs: number;
    readonly usageEvents: number;
  }>;
  /** Weeks of history read from the archive, oldest first, and those with no archived digest. */
  readonly archivedWeeks: readonly string[];
  readonly missingWeeks: readonly string[];
}

/** The portfolio of one week (docs/portfolio.md): `GET /portfolio`, the digest's first section, the ops page. */
export interface Portfolio {
  readonly week: string;
  readonly byBusinessFunction: readonly PortfolioRow[];
  readonly byOwnerTeam: readonly PortfolioRow[];
  /** Equal to the sum of either table's rows. */
  readonly totals: PortfolioFigures;
  readonly funnel: PilotFunnel;
}
