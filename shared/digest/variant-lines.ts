import {
  formatMinutes,
  formatMinutesInterval,
  formatPoints,
  formatPointsInterval,
  formatUsdInterval,
} from '../format/intervals.ts';
import { formatUsd } from '../format/money.ts';
import { formatCount, formatPercent } from '../format/rates.ts';
import { ComparisonMinimums } from '../metrics/compare.ts';
import type { DigestArm, DigestComparison } from './variants.ts';

/** `human-only` for an arm with no AI usage, otherwise the variant's name. */
const label = (arm: DigestArm) => (arm.humanOnly ? 'human-only' : arm.variant);

// Every comparison says how runs were assigned: only a randomised one shows the variant's effect.
const design = (c: DigestComparison) =>
  c.possiblyConfounded ? 'observational: possibly confounded' : 'randomised';

/** `Too few human-only runs to measure value: 12 of the 30 needed.`, naming every short arm. */
const tooFew = (
  c: DigestComparison,
  count: (arm: DigestArm) => number,
  unit: string,
  purpose: string,
  minimum: number,
) => {
  const short = [c.variant, c.baseline].filter((arm) => count(arm) < minimum);
  return `Too few ${short.map(label).join(' and ')} ${unit} to ${purpose}: ${short.map((arm) => formatCount(count(arm))).join(' and ')} of the ${minimum} needed.`;
};

const assumptionText = (c: DigestComparison) => {
  const per = c.valuePerSuccessUsd;
  if (!per) return '';
  const measured = `${formatUsdInterval(per.low95, per.high95)} measured per success`;
  const assumed = c.catalogAssumption;
  if (!assumed) return `; the catalog assumes no value per success (${measured})`;
  return `; the catalog assumes ${formatUsd(assumed.valuePerSuccessUsd)} per success, ${assumed.position} the interval (${measured})`;
};

/** The time and money line: how much longer or shorter the variant's runs are, and what that is worth. */
const valueLine = (c: DigestComparison): string => {
  const duration = c.durationMs;
  const value = c.measuredValueUsd;
  const minimum = ComparisonMinimums.valuesPerArm;
  const enough = c.variant.durations >= minimum && c.baseline.durations >= minimum;
  if (!duration || !value?.claimed) {
    // With enough durations, only an unknown AI cost per run (unpriced usage) leaves value unmeasured.
    if (enough)
      return `No measured value against ${label(c.baseline)} runs this week: part of the AI cost is unpriced, so the cost per run is unknown.`;
    return tooFew(c, (arm) => arm.durations, 'runs', 'measure value', minimum);
  }
  // Difference is variant − baseline: negative means the variant's runs are shorter.
  const less = duration.difference <= 0;
  const interval = less
    ? formatMinutesInterval(-duration.high95, -duration.low95)
    : formatMinutesInterval(duration.low95, duration.high95);
  return `${label(c.variant)} runs take ${formatMinutes(Math.abs(duration.difference))} ${less ? 'less' : 'more'} than ${label(c.baseline)} runs (95% CI ${interval}; ${formatCount(c.variant.runs)} vs ${formatCount(c.baseline.runs)} runs, ${design(c)}): ${formatUsd(value.estimate)} measured value this week (95% CI ${formatUsdInterval(value.low95, value.high95)})${assumptionText(c)}.`;
};

const RATES = {
  overrideRate: { arm: 'overrideRate', unit: 'reviews', verb: 'is overridden', noun: 'override rate' },
  successRate: { arm: 'successRate', unit: 'runs', verb: 'succeeds', noun: 'success rate' },
} as const;

/** A rate line: override rate when both arms were reviewed, else success rate. */
const rateLine = (c: DigestComparison): string => {
  const key = c.overrideRate ? 'overrideRate' : 'successRate';
  const rate = RATES[key];
  const difference = c[key];
  const count = (arm: DigestArm) => (rate.unit === 'reviews' ? arm.reviews : arm.runs);
  const minimum = rate.unit === 'reviews' ? ComparisonMinimums.reviewsPerArm : ComparisonMinimums.runsPerArm;
  if (!difference?.claimed) return tooFew(c, count, rate.unit, `compare ${rate.noun}s`, minimum);
  const v = label(c.variant);
  const b = label(c.baseline);
  const clear = difference.low95 > 0 || difference.high95 < 0;
  const head = clear
    ? `${v} ${rate.verb} ${difference.difference > 0 ? 'more' : 'less'} often than ${b}`
    : `No clear difference in ${rate.noun} between ${v} and ${b}`;
  const rates = `${formatPercent(c.variant[rate.arm] ?? 0)} vs ${formatPercent(c.baseline[rate.arm] ?? 0)} of ${rate.unit}`;
  return `${head}: ${rates} (${formatPoints(difference.difference)}, 95% CI ${formatPointsInterval(difference.low95, difference.high95)}; ${formatCount(count(c.variant))} vs ${formatCount(count(c.baseline))} ${rate.unit}, ${design(c)}).`;
};

/**
 * The digest's sentences about a workflow's variants: per comparison, measured value when the
 * catalog prices people's time (`laborCostPerHourUsd`), otherwise the override (or success) rate
 * difference. Below the minimum sample per arm it says how many are missing instead of claiming.
 *
 * @example
 * ```ts
 * variantLines('human', true, comparisons);
 * // ['ai runs take 4.5 min less than human-only runs (95% CI 3.8–5.2 min; 705 vs 37 runs, randomised): …']
 * ```
 */
export const variantLines = (
  baseline: string,
  pricesTime: boolean,
  comparisons: readonly DigestComparison[],
): string[] =>
  comparisons.length === 0
    ? [
        `Nothing to compare with the baseline variant ${baseline} this week: it or every other variant had no data.`,
      ]
    : comparisons.map((c) => (pricesTime ? valueLine(c) : rateLine(c)));
