import type { WorkflowTargets } from '../catalog/schema.ts';
import { formatPercent } from '../format/rates.ts';
import { adoptionFindings, type VerdictAdoption } from './adoption-rules.ts';
import { type MeasuredNetValue, onMeasuredValue } from './measured.ts';
import {
  acceptanceText,
  evidenceFindings,
  FindingCode,
  overrideText,
  performanceFindings,
  type RuleContext,
  roiClause,
  usageClause,
  usageFindings,
  type VerdictMetrics,
} from './rules.ts';
import { effectiveTargets } from './targets.ts';
import { type Finding, MIN_REVIEWS_FOR_TRUST, Verdict, type VerdictResult } from './verdict.ts';

export interface VerdictInput {
  /** The week judged. */
  readonly current: VerdictMetrics;
  /** The week before, for trends. */
  readonly previous: VerdictMetrics;
  readonly inCatalog: boolean;
  /** The catalog's targets for the workflow (defaults fill the gaps). */
  readonly targets?: WorkflowTargets;
  /** The catalog's valuePerSuccessUsd, if any. */
  readonly valuePerSuccessUsd?: number;
  /**
   * A claimed measured value for the week (the digest passes one only against a human-only
   * baseline): ROI is then judged on it instead of on reported and assumed value.
   */
  readonly measured?: MeasuredNetValue;
  /** Weekly active users, adoption and their trend; absent: no adoption rule applies. */
  readonly adoption?: VerdictAdoption;
}

const has = (findings: readonly Finding[], code: string) => findings.find((f) => f.code === code);
const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

// Why a workflow with a good ROI and no problems found still does not scale.
const watchReason = (context: RuleContext): string => {
  const { current: c, targets } = context;
  const roi = c.roi === null ? 'No cost recorded' : roiClause(c, context.measured);
  if (c.reviews < MIN_REVIEWS_FOR_TRUST)
    return `${roi}, but only ${c.reviews} human reviews this week, too few to show trust (${MIN_REVIEWS_FOR_TRUST} needed).`;
  if ((c.overrideRate ?? 0) > targets.maxOverrideRate.value)
    return `${roi}, but the override rate ${overrideText(c, targets.maxOverrideRate.value)} is above the ${formatPercent(targets.maxOverrideRate.value)} target, though not conclusively.`;
  return `${roi}, but acceptance ${acceptanceText(c, targets.minAcceptanceRate.value)} does not yet clear the ${formatPercent(targets.minAcceptanceRate.value)} target at its 95% lower bound.`;
};

const isScale = ({ current: c, targets }: RuleContext): boolean =>
  c.reviews >= MIN_REVIEWS_FOR_TRUST &&
  c.roi !== null &&
  c.roi >= targets.minRoi.value &&
  c.acceptanceRateLow95 !== null &&
  c.acceptanceRateLow95 >= targets.minAcceptanceRate.value &&
  (c.overrideRate ?? 0) <= targets.maxOverrideRate.value;

/**
 * Decides a workflow's verdict for a week. Pure: the same numbers and targets give the same verdict
 * and reason. The rules are tried in the order of {@link Verdict}; see the README (Verdicts) for the table.
 *
 * @example
 * ```ts
 * const { verdict, reason } = decideVerdict({ current, previous, inCatalog: true, targets: { maxOverrideRate: 0.2 } });
 * // 'fix', 'Override rate 25% (95% CI 21–31%) is above the 20% target and rose from 15% week over week.'
 * ```
 */
export const decideVerdict = (input: VerdictInput): VerdictResult => {
  const context: RuleContext = {
    ...input,
    // Measured value replaces reported and assumed value for this week only; the week before keeps its own.
    current: input.measured ? onMeasuredValue(input.current, input.measured) : input.current,
    targets: effectiveTargets(input.targets),
  };
  const evidence = evidenceFindings(context);
  const roiKnown = evidence.length === 0;
  const performance = performanceFindings(context, roiKnown);
  // Low or falling adoption is a usage problem like falling runs: the same "stalled" verdict.
  const usage = [...usageFindings(context), ...adoptionFindings(input.adoption, context.targets)];
  const findings = [...evidence, ...performance, ...usage].map((f) => ({
    ...f,
    message: sentence(f.message),
  }));
  const result = (verdict: VerdictResult['verdict'], reason: string): VerdictResult => ({
    verdict,
    reason,
    findings,
    targets: context.targets,
  });

  const tooFew = has(evidence, FindingCode.tooFewRuns);
  if (tooFew) return result(Verdict.notEnoughData, sentence(tooFew.message));

  const [gap] = evidence;
  if (gap) {
    // A falling workflow without value data is both; say so in the one sentence.
    const trend = usageClause(usage, context.targets);
    return result(Verdict.unproven, sentence(trend ? `${gap.message}; also, ${trend}` : gap.message));
  }

  const stop = has(performance, FindingCode.negativeRoiTwice);
  if (stop) return result(Verdict.stop, sentence(stop.message));

  const above = has(performance, FindingCode.overrideAboveTarget);
  const rising = has(performance, FindingCode.overrideRising);
  if (above && rising && input.previous.overrideRate !== null)
    return result(
      Verdict.fix,
      sentence(`${above.message} and up from ${formatPercent(input.previous.overrideRate)} last week`),
    );
  const fix = performance.find((f) => f.code !== FindingCode.negativeRoiTwice);
  if (fix) return result(Verdict.fix, sentence(fix.message));

  const stalled = usageClause(usage, context.targets);
  if (stalled) return result(Verdict.stalled, sentence(stalled));
  if (isScale(context)) {
    const { current: c, targets } = context;
    return result(
      Verdict.scale,
      `${roiClause(c, context.measured)} and acceptance ${acceptanceText(c)} clears the ${formatPercent(targets.minAcceptanceRate.value)} target even at its 95% lower bound.`,
    );
  }
  return result(Verdict.watch, watchReason(context));
};
