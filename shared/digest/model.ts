import type { WorkflowStage } from '../catalog/schema.ts';
import type { Adoption } from '../metrics/adoption.ts';
import type { WorkflowMetrics } from '../metrics/derive.ts';
import type { Portfolio } from '../portfolio/model.ts';
import type { EffectiveTargets, Finding, VerdictName } from '../verdicts/verdict.ts';
import type { DigestVariants } from './variants.ts';

/** The metrics (docs/counting.md, Metrics) a leader reads in the digest, by name. */
export const WEEK_FIGURE_KEYS = [
  'runs',
  'succeeded',
  'successRate',
  'usageEvents',
  'unpricedUsageEvents',
  'valueUsd',
  'valueReportedUsd',
  'valueAssumedUsd',
  'costUsd',
  'costReportedUsd',
  'costCatalogPricedUsd',
  'costComplete',
  'valuedSuccesses',
  'valueCoverage',
  'netValueUsd',
  'roi',
  'costPerSuccessUsd',
  'hoursSaved',
  'hoursSavedReported',
  'hoursSavedAssumed',
  'reviews',
  'acceptanceRate',
  'acceptanceRateLow95',
  'acceptanceRateHigh95',
  'overrideRate',
  'overrideRateLow95',
  'overrideRateHigh95',
  'escalationRate',
  'activeUsers',
  'topOverrideReasons',
] as const;

/** One workflow's figures for one week; money in USD, rates 0–1 with their 95 % Wilson bounds. */
export type WeekFigures = Pick<WorkflowMetrics, (typeof WEEK_FIGURE_KEYS)[number]>;

/** Week-over-week change of one figure; `percent` is null when last week was 0 or either is unknown. */
export interface Change {
  readonly current: number | null;
  readonly previous: number | null;
  readonly absolute: number | null;
  readonly percent: number | null;
}

export interface DigestWorkflow {
  readonly workflowId: string;
  /** The catalog name, or the workflowId for workflows absent from the catalog. */
  readonly name: string;
  readonly ownerTeam: string | null;
  readonly stage: (typeof WorkflowStage)[keyof typeof WorkflowStage] | null;
  /** The catalog's businessFunction; null when it sets none or the workflow is not in the catalog. */
  readonly businessFunction: string | null;
  /** The catalog's pilotSince (YYYY-MM-DD), or null. */
  readonly pilotSince: string | null;
  readonly inCatalog: boolean;
  readonly verdict: VerdictName;
  readonly verdictLabel: string;
  readonly reason: string;
  readonly findings: readonly Finding[];
  readonly targets: EffectiveTargets;
  /** The catalog assumptions applied at read time to successes that reported nothing. */
  readonly assumptions: {
    readonly valuePerSuccessUsd: number | null;
    readonly minutesSavedPerSuccess: number | null;
  };
  /**
   * The week's variants against the catalog's baseline, with their measured-value lines; null when the
   * catalog names no baseline variant (docs/digest.md, Measured value).
   */
  readonly variants: DigestVariants | null;
  /** Weekly active users, adoption rate and runs per active user, with the four-week trend. */
  readonly adoption: Adoption;
  readonly current: WeekFigures;
  readonly previous: WeekFigures;
  readonly change: { readonly runs: Change; readonly valueUsd: Change; readonly netValueUsd: Change };
  /** Price table entries used at ingestion this week → usage events they priced. */
  readonly pricedBy: Readonly<Record<string, number>>;
}

/**
 * The fleet's sums for a week, with the same unknowns and bounds as one workflow's (docs/counting.md, Unknown is not zero):
 * value sums the workflows whose value is known and is a lower bound when `valueCoverage` < 1; cost is
 * a lower bound when `costComplete` is false.
 */
export interface FleetFigures {
  readonly workflows: number;
  readonly runs: number;
  readonly succeeded: number;
  readonly valuedSuccesses: number;
  readonly valueCoverage: number | null;
  readonly valueUsd: number | null;
  readonly valueReportedUsd: number;
  readonly valueAssumedUsd: number;
  readonly costUsd: number;
  readonly costReportedUsd: number;
  readonly costCatalogPricedUsd: number;
  readonly costComplete: boolean;
  readonly netValueUsd: number | null;
  readonly roi: number | null;
  readonly hoursSaved: number | null;
  readonly hoursSavedReported: number;
  readonly hoursSavedAssumed: number;
  readonly unpricedUsageEvents: number;
}

/**
 * The weekly value digest: last full ISO week (UTC) against the week before. Every renderer (HTML,
 * text, JSON) draws from this one model, so the formats never disagree.
 */
export interface DigestModel {
  readonly kind: 'yardstick.weekly-digest';
  readonly schemaVersion: 1;
  readonly week: string;
  readonly previousWeek: string;
  /** Inclusive start and exclusive end of the week, ISO timestamps (UTC). */
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  /** Which catalog supplied names, targets and assumptions. */
  readonly catalog: string;
  /** One sentence for the top of the e-mail. */
  readonly headline: string;
  /** The portfolio by business function and owner team, and the pilot funnel (docs/portfolio.md). */
  readonly portfolio: Portfolio;
  readonly fleet: {
    readonly current: FleetFigures;
    readonly previous: FleetFigures;
    readonly change: {
      readonly valueUsd: Change;
      readonly costUsd: Change;
      readonly netValueUsd: Change;
      readonly hoursSaved: Change;
      readonly runs: Change;
    };
  };
  readonly verdictCounts: Readonly<Record<VerdictName, number>>;
  /** Decisions first: scale, fix, stop, stalled, unproven, watch, not enough data. */
  readonly workflows: readonly DigestWorkflow[];
  /** Where the figures came from, and what they cannot show. */
  readonly notes: readonly string[];
}
