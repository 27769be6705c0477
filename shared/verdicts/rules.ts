import { formatCost, formatValue } from '../format/figures.ts';
import { formatUsdInterval } from '../format/intervals.ts';
import { formatRoi, formatUsd } from '../format/money.ts';
import { formatChange, formatCount, formatPercent, formatRateWithInterval, plural } from '../format/rates.ts';
import type { WorkflowMetrics } from '../metrics/derive.ts';
import type { MeasuredNetValue } from './measured.ts';
import {
  type EffectiveTargets,
  FALLING_RUNS_SHARE,
  type Finding,
  MIN_REVIEWS_FOR_TRUST,
  MIN_RUNS_FOR_VERDICT,
  RISING_OVERRIDE_POINTS,
} from './verdict.ts';

/** The figures of one week that the rules read. */
export type VerdictMetrics = Pick<
  WorkflowMetrics,
  | 'runs'
  | 'succeeded'
  | 'usageEvents'
  | 'unpricedUsageEvents'
  | 'costUsd'
  | 'costComplete'
  | 'valueUsd'
  | 'valueCoverage'
  | 'valueReportedUsd'
  | 'roi'
  | 'reviews'
  | 'acceptanceRate'
  | 'acceptanceRateLow95'
  | 'acceptanceRateHigh95'
  | 'overrideRate'
  | 'overrideRateLow95'
  | 'overrideRateHigh95'
>;

export interface RuleContext {
  readonly current: VerdictMetrics;
  readonly previous: VerdictMetrics;
  readonly targets: EffectiveTargets;
  readonly inCatalog: boolean;
  /** The catalog's valuePerSuccessUsd, if any. */
  readonly valuePerSuccessUsd?: number;
  /** A claimed measured value: `current` is then judged on it (measured.ts) and the reasons say so. */
  readonly measured?: MeasuredNetValue;
}

export const FindingCode = {
  tooFewRuns: 'too_few_runs',
  noValueData: 'no_value_data',
  unpricedUsage: 'unpriced_usage',
  noCostData: 'no_cost_data',
  negativeRoiTwice: 'negative_roi_two_weeks',
  overrideAboveTarget: 'override_above_target',
  overrideRising: 'override_rising',
  acceptanceBelowTarget: 'acceptance_below_target',
  roiBelowTarget: 'roi_below_target',
  runsBelowTarget: 'runs_below_target',
  runsFalling: 'runs_falling',
} as const;

// Thresholds are decimal; 0.15 - 0.1 is 0.04999… in binary floating point, so compare with a tolerance.
const EPSILON = 1e-9;

const finding = (code: string, message: string): Finding => ({ code, message });
const hasTrustSample = (m: VerdictMetrics) => m.reviews >= MIN_REVIEWS_FOR_TRUST;

/** Value and cost of the week, for reasons: `$1,345.50 value for $0.17 cost` (`≥` marks a lower bound). */
export const valueForCost = (m: VerdictMetrics) => `${formatValue(m)} value for ${formatCost(m)} cost`;

/**
 * ROI with what it rests on, for reasons: `ROI 22.5× ($1,345.50 value for $57.29 cost)`, or on a
 * measured value `ROI 7,250× on measured value ($2,900.00 net, 95% CI $2,450.00–$3,360.00, for $0.40 cost)`.
 */
export const roiClause = (m: VerdictMetrics, measured: MeasuredNetValue | undefined, when = ''): string =>
  measured
    ? `ROI ${formatRoi(m.roi)}${when} on measured value (${formatUsd(measured.netValueUsd)} net, 95% CI ${formatUsdInterval(measured.low95, measured.high95)}, for ${formatCost(m)} cost)`
    : `ROI ${formatRoi(m.roi)}${when} (${valueForCost(m)})`;

export const overrideText = (m: VerdictMetrics, versus?: number) =>
  formatRateWithInterval(m.overrideRate ?? 0, m.overrideRateLow95, m.overrideRateHigh95, versus);

export const acceptanceText = (m: VerdictMetrics, versus?: number) =>
  formatRateWithInterval(m.acceptanceRate ?? 0, m.acceptanceRateLow95, m.acceptanceRateHigh95, versus);

/** Findings about the sample and the evidence for value and cost. */
export const evidenceFindings = ({ current: c, inCatalog }: RuleContext): Finding[] => {
  const found: Finding[] = [];
  if (c.runs < MIN_RUNS_FOR_VERDICT) {
    const orphanUsage =
      c.runs === 0 && c.usageEvents > 0
        ? `; ${plural(c.usageEvents, 'usage event')} arrived without any outcome events`
        : '';
    found.push(
      finding(
        FindingCode.tooFewRuns,
        `${c.runs === 0 ? 'No runs' : `Only ${plural(c.runs, 'run')}`} this week, below the ${MIN_RUNS_FOR_VERDICT} needed for a verdict${orphanUsage}`,
      ),
    );
  }
  // The metrics' own rule (value is null without a value source), so no screen disagrees with it.
  if (c.valueUsd === null) {
    const successes =
      c.succeeded === 0
        ? 'no run succeeded'
        : `none of its ${plural(c.succeeded, 'success', 'successes')} reported valueUsd`;
    const assumption = inCatalog ? 'the catalog sets no valuePerSuccessUsd' : 'it is not in the catalog';
    found.push(finding(FindingCode.noValueData, `No value data: ${successes} and ${assumption}`));
  }
  if (c.unpricedUsageEvents > 0)
    found.push(
      finding(
        FindingCode.unpricedUsage,
        `Cost is incomplete: ${formatCountOf(c.unpricedUsageEvents, c.usageEvents)} usage events used a model with no price, so ROI cannot be shown; add the model to the catalog's prices or report costUsd`,
      ),
    );
  else if (c.usageEvents === 0)
    found.push(
      finding(
        FindingCode.noCostData,
        'No cost data: no usage events this week, so ROI cannot be computed; report ai.workflow.usage for each model call',
      ),
    );
  return found;
};

const formatCountOf = (part: number, whole: number) =>
  part === whole ? `all ${formatCount(whole)}` : `${formatCount(part)} of ${formatCount(whole)}`;

/**
 * Findings about trust (needs {@link MIN_REVIEWS_FOR_TRUST} reviews) and return on cost (only when
 * `roiKnown`: an ROI of -100 % from missing value data is not a finding).
 */
export const performanceFindings = (
  { current: c, previous: p, targets, measured }: RuleContext,
  roiKnown: boolean,
): Finding[] => {
  const found: Finding[] = [];
  const maxOverride = targets.maxOverrideRate.value;
  const minAcceptance = targets.minAcceptanceRate.value;
  if (
    roiKnown &&
    c.roi !== null &&
    c.roi < 0 &&
    p.runs >= MIN_RUNS_FOR_VERDICT &&
    p.roi !== null &&
    p.roi < 0
  )
    found.push(
      finding(
        FindingCode.negativeRoiTwice,
        `Value did not cover cost two weeks running: ${roiClause(c, measured, ' this week')} and ${formatRoi(p.roi)} the week before`,
      ),
    );
  if (hasTrustSample(c) && c.overrideRateLow95 !== null && c.overrideRateLow95 > maxOverride)
    found.push(
      finding(
        FindingCode.overrideAboveTarget,
        `Override rate ${overrideText(c, maxOverride)} is above the ${formatPercent(maxOverride)} target`,
      ),
    );
  if (
    hasTrustSample(c) &&
    hasTrustSample(p) &&
    c.overrideRate !== null &&
    p.overrideRate !== null &&
    c.overrideRate - p.overrideRate >= RISING_OVERRIDE_POINTS - EPSILON &&
    (c.overrideRateLow95 ?? 0) > p.overrideRate
  )
    found.push(
      finding(
        FindingCode.overrideRising,
        `Override rate rose from ${formatPercent(p.overrideRate)} to ${overrideText(c)} week over week`,
      ),
    );
  if (hasTrustSample(c) && c.acceptanceRateHigh95 !== null && c.acceptanceRateHigh95 < minAcceptance)
    found.push(
      finding(
        FindingCode.acceptanceBelowTarget,
        `Acceptance ${acceptanceText(c, minAcceptance)} is below the ${formatPercent(minAcceptance)} target`,
      ),
    );
  if (roiKnown && c.roi !== null && c.roi < targets.minRoi.value)
    found.push(
      finding(
        FindingCode.roiBelowTarget,
        `${roiClause(c, measured)} is below the ${formatRoi(targets.minRoi.value)} target`,
      ),
    );
  return found;
};

/** Findings about adoption: below the weekly-runs target, or falling. */
export const usageFindings = ({ current: c, previous: p, targets }: RuleContext): Finding[] => {
  const found: Finding[] = [];
  if (p.runs >= MIN_RUNS_FOR_VERDICT && c.runs <= p.runs * (1 - FALLING_RUNS_SHARE) + EPSILON)
    found.push(
      finding(
        FindingCode.runsFalling,
        `usage fell ${formatChange(c.runs, p.runs)?.replace('-', '')} week over week (${p.runs} → ${c.runs} runs)`,
      ),
    );
  if (targets.minWeeklyRuns && c.runs < targets.minWeeklyRuns.value)
    found.push(
      finding(
        FindingCode.runsBelowTarget,
        `only ${plural(c.runs, 'run')} this week, below the ${targets.minWeeklyRuns.value}-run weekly target`,
      ),
    );
  return found;
};

/**
 * The usage and adoption findings as one clause: `usage fell 29% week over week (14 → 10 runs), below
 * the 20-run weekly target`, then any adoption finding after a semicolon.
 */
export const usageClause = (usage: readonly Finding[], targets: EffectiveTargets): string | undefined => {
  const falling = usage.find((f) => f.code === FindingCode.runsFalling);
  const below = usage.find((f) => f.code === FindingCode.runsBelowTarget);
  const runs =
    falling && below && targets.minWeeklyRuns
      ? `${falling.message}, below the ${targets.minWeeklyRuns.value}-run weekly target`
      : (falling ?? below)?.message;
  const runCodes: readonly string[] = [FindingCode.runsFalling, FindingCode.runsBelowTarget];
  const adoption = usage.filter((f) => !runCodes.includes(f.code)).map((f) => f.message);
  const clauses = [...(runs ? [runs] : []), ...adoption];
  return clauses.length > 0 ? clauses.join('; ') : undefined;
};
