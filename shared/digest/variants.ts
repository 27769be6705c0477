import type { VariantAssignmentName } from '../catalog/schema.ts';
import type { VariantComparison } from '../metrics/variant-comparison.ts';
import type { VariantMetrics } from '../metrics/variant-metrics.ts';
import type { WorkflowVariantsResponse } from '../query/variants-query.ts';
import type { MeasuredNetValue } from '../verdicts/measured.ts';
import { variantLines } from './variant-lines.ts';

/** One arm of a comparison as the digest shows it. */
export interface DigestArm {
  readonly variant: string;
  /** Runs without any usage event: people doing the work, the counterfactual to the AI. */
  readonly humanOnly: boolean;
  readonly runs: number;
  readonly succeeded: number;
  /** Runs that reported durationMs: the sample of the time (and so value) comparison. */
  readonly durations: number;
  readonly reviews: number;
  readonly successRate: number | null;
  readonly overrideRate: number | null;
}

/** Where the catalog's valuePerSuccessUsd falls against the measured value per success's 95 % interval. */
export const AssumptionPosition = { inside: 'inside', above: 'above', below: 'below' } as const;
export type AssumptionPositionName = keyof typeof AssumptionPosition;

/** An interval estimate in USD. */
export interface UsdEstimate {
  readonly estimate: number;
  readonly low95: number;
  readonly high95: number;
}

/** A variant against the catalog's baseline over the digest's week (docs/digest.md, Measured value). */
export interface DigestComparison
  extends Pick<VariantComparison, 'durationMs' | 'successRate' | 'overrideRate' | 'measuredValueUsd'> {
  readonly variant: DigestArm;
  readonly baseline: DigestArm;
  readonly assignment: VariantAssignmentName;
  readonly possiblyConfounded: boolean;
  /**
   * Measured value per success before AI cost, the quantity `valuePerSuccessUsd` assumes: (measured
   * value + the variant's extra AI cost over its runs) ÷ the variant's successes. Null without a
   * measured value or a success.
   */
  readonly valuePerSuccessUsd: UsdEstimate | null;
  /** The catalog's assumption against that interval; null when either is missing or not claimed. */
  readonly catalogAssumption: {
    readonly valuePerSuccessUsd: number;
    readonly position: AssumptionPositionName;
  } | null;
}

/** A workflow's variants in the digest: present only when the catalog names a baseline variant. */
export interface DigestVariants {
  readonly baselineVariant: string;
  readonly assignment: VariantAssignmentName;
  readonly comparisons: readonly DigestComparison[];
  /** One sentence per comparison, or one saying why nothing was compared. */
  readonly lines: readonly string[];
  /** The claimed measured value the verdict judged ROI on; null when it judged on reported and assumed value. */
  readonly verdictMeasuredValue: MeasuredNetValue | null;
}

const armOf = (variant: string, m: VariantMetrics): DigestArm => ({
  variant,
  humanOnly: m.runs > 0 && m.usageEvents === 0,
  runs: m.runs,
  succeeded: m.succeeded,
  durations: m.durationCount,
  reviews: m.reviews,
  successRate: m.successRate,
  overrideRate: m.overrideRate,
});

const perSuccess = (c: VariantComparison, v: VariantMetrics, b: VariantMetrics): UsdEstimate | null => {
  const value = c.measuredValueUsd;
  if (!value || v.succeeded === 0 || v.aiCostPerRunUsd === null || b.aiCostPerRunUsd === null) return null;
  // Measured value is net of the variant's extra AI cost; the catalog's assumption is before cost.
  const aiCost = (v.aiCostPerRunUsd - b.aiCostPerRunUsd) * value.runs;
  const per = (usd: number) => Math.round(((usd + aiCost) / v.succeeded) * 1e6) / 1e6;
  return { estimate: per(value.estimate), low95: per(value.low95), high95: per(value.high95) };
};

const positionOf = (assumed: number, interval: UsdEstimate): AssumptionPositionName =>
  assumed > interval.high95 ? 'above' : assumed < interval.low95 ? 'below' : 'inside';

/**
 * The claimed net value measured against a human-only baseline, for the verdict: the sum over the
 * compared variants (one, usually, the AI flow), used only when every one of them is claimed. Against a
 * baseline that itself uses AI the measured value is a change between two AI flows, not what the
 * workflow is worth, so it is not used. With several variants the bounds are summed, which is
 * conservative (wider than the interval of the sum).
 */
const verdictValue = (comparisons: readonly DigestComparison[]): MeasuredNetValue | null => {
  const claimed = comparisons.map((c) => (c.baseline.humanOnly ? c.measuredValueUsd : null));
  if (claimed.length === 0 || claimed.some((m) => !m?.claimed)) return null;
  const sum = (pick: (m: UsdEstimate) => number) =>
    Math.round(claimed.reduce((total, m) => total + (m ? pick(m) : 0), 0) * 1e9) / 1e9;
  return { netValueUsd: sum((m) => m.estimate), low95: sum((m) => m.low95), high95: sum((m) => m.high95) };
};

/**
 * The digest's view of a workflow's variants for the week: each comparison with the baseline, where
 * the catalog's value assumption falls against the measured value, its sentences, and the measured
 * value the verdict may judge on.
 *
 * @example
 * ```ts
 * const variants = digestVariants(await queryWorkflowVariants(store, catalog, range), 4.5);
 * variants.lines[0]; // 'ai runs take 4.5 min less than human-only runs (95% CI …'
 * ```
 */
export const digestVariants = (
  response: WorkflowVariantsResponse & { readonly baselineVariant: string },
  valuePerSuccessUsd: number | null,
): DigestVariants => {
  const metricsOf = new Map(response.variants.map((v) => [v.variant, v.metrics]));
  const comparisons = response.comparisons.flatMap((c): DigestComparison[] => {
    const v = metricsOf.get(c.variant);
    const b = metricsOf.get(c.baseline);
    if (!v || !b) return [];
    const perSuccessUsd = perSuccess(c, v, b);
    return [
      {
        variant: armOf(c.variant, v),
        baseline: armOf(c.baseline, b),
        assignment: c.assignment,
        possiblyConfounded: c.possiblyConfounded,
        durationMs: c.durationMs,
        successRate: c.successRate,
        overrideRate: c.overrideRate,
        measuredValueUsd: c.measuredValueUsd,
        valuePerSuccessUsd: perSuccessUsd,
        catalogAssumption:
          perSuccessUsd && valuePerSuccessUsd !== null && c.measuredValueUsd?.claimed
            ? { valuePerSuccessUsd, position: positionOf(valuePerSuccessUsd, perSuccessUsd) }
            : null,
      },
    ];
  });
  return {
    baselineVariant: response.baselineVariant,
    assignment: response.assignment,
    comparisons,
    lines: variantLines(response.baselineVariant, response.laborCostPerHourUsd !== null, comparisons),
    verdictMeasuredValue: verdictValue(comparisons),
  };
};
