import type { VerdictMetrics } from './rules.ts';

/**
 * The week's net value measured against a human-only baseline (docs/digest.md, Measured value): the
 * saving of the compared runs after their AI cost, with its 95 % interval. The digest passes it to the
 * verdict only when it is claimed, so the rules never judge on a sample below the minimum.
 */
export interface MeasuredNetValue {
  readonly netValueUsd: number;
  readonly low95: number;
  readonly high95: number;
}

/**
 * The week's figures judged on measured value instead of reported and assumed value. Measured value is
 * already net of the AI cost, so value = measured net + cost and ROI = measured net ÷ cost; cost, runs
 * and reviews are the week's own. ROI stays null when cost is zero or incomplete, as it does on any
 * other value basis.
 *
 * @example
 * ```ts
 * onMeasuredValue(week, { netValueUsd: 2_900, low95: 2_450, high95: 3_360 }).roi; // 2900 / week.costUsd
 * ```
 */
export const onMeasuredValue = (current: VerdictMetrics, measured: MeasuredNetValue): VerdictMetrics => ({
  ...current,
  valueUsd: measured.netValueUsd + current.costUsd,
  valueCoverage: 1,
  roi: current.costComplete && current.costUsd > 0 ? measured.netValueUsd / current.costUsd : null,
});
