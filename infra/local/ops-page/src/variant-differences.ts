// Each comparison with the baseline as rows of a forest plot: the difference (variant − baseline) and
// its 95 % interval as text from the shared formatters, whether it is claimed, and why not. No DOM.
import {
  formatMinutesDifference,
  formatMinutesInterval,
  formatPoints,
  formatPointsInterval,
  formatScoreDifference,
  formatScoreInterval,
  formatSecondsDifference,
  formatSecondsInterval,
  formatUsdDifference,
  formatUsdInterval,
} from '../../../../shared/format/intervals.ts';
import { formatUsd, UNKNOWN } from '../../../../shared/format/money.ts';
import { formatCount } from '../../../../shared/format/rates.ts';
import type { VariantComparison } from '../../../../shared/metrics/variant-comparison.ts';
import type { VariantMetrics } from '../../../../shared/metrics/variant-metrics.ts';

/** How a difference is shown: claimed, greyed out below the per-arm minimum, or unknown (null). */
export const DifferenceState = { claimed: 'claimed', tooFew: 'too-few', unknown: 'unknown' } as const;
export type DifferenceStateName = (typeof DifferenceState)[keyof typeof DifferenceState];

/** One row: a difference with its interval (null when unknown), its text and a note. */
export interface DifferenceRow {
  readonly key: DifferenceName;
  readonly label: string;
  readonly state: DifferenceStateName;
  readonly interval: { readonly estimate: number; readonly low95: number; readonly high95: number } | null;
  readonly text: string;
  /** `too few to tell (18 of 30 needed)`, or why a figure is unknown; null when claimed. */
  readonly note: string | null;
}

type Estimate = { readonly low95: number; readonly high95: number } & (
  | { readonly difference: number }
  | { readonly estimate: number; readonly runs: number }
);

// Rates in points (Newcombe), means in their unit (Welch), money in USD; the sample that each is
// counted in, per arm, for "n of m needed"; cost and measured value rest on the durations.
const DIFFERENCES = {
  successRate: {
    label: 'success rate',
    count: (m: VariantMetrics) => m.runs,
    sample: 'runs',
    unit: 'points',
  },
  acceptanceRate: {
    label: 'accepted',
    count: (m: VariantMetrics) => m.reviews,
    sample: 'reviews',
    unit: 'points',
  },
  overrideRate: {
    label: 'overridden',
    count: (m: VariantMetrics) => m.reviews,
    sample: 'reviews',
    unit: 'points',
  },
  durationMs: {
    label: 'mean duration',
    count: (m: VariantMetrics) => m.durationCount,
    sample: 'durations',
    unit: 'minutes',
  },
  qualityScore: {
    label: 'quality score',
    count: (m: VariantMetrics) => m.qualityScored,
    sample: 'quality scores',
    unit: 'score',
  },
  valueUsdPerRun: {
    label: 'value per run',
    count: (m: VariantMetrics) => m.valueUsdReported,
    sample: 'reported values',
    unit: 'usd',
  },
  costPerRunUsd: {
    label: 'cost per run',
    count: (m: VariantMetrics) => m.durationCount,
    sample: 'durations',
    unit: 'usd',
  },
  measuredValueUsd: {
    label: 'measured value',
    count: (m: VariantMetrics) => m.durationCount,
    sample: 'durations',
    unit: 'usd',
  },
} as const;
export type DifferenceName = keyof typeof DIFFERENCES;

const FORMATS = {
  points: [formatPoints, formatPointsInterval],
  minutes: [formatMinutesDifference, formatMinutesInterval],
  seconds: [formatSecondsDifference, formatSecondsInterval],
  score: [formatScoreDifference, formatScoreInterval],
  usd: [formatUsdDifference, formatUsdInterval],
} as const;

// Below a minute, minutes would read 0.0 to 0.1 min: short durations are shown in seconds.
const SECONDS_BELOW_MS = 60_000;

const unitOf = (name: DifferenceName, value: Estimate): keyof typeof FORMATS => {
  const unit = DIFFERENCES[name].unit;
  const largest = Math.max(Math.abs(value.low95), Math.abs(value.high95));
  return unit === 'minutes' && largest < SECONDS_BELOW_MS ? 'seconds' : unit;
};

const textOf = (name: DifferenceName, value: Estimate): string => {
  const [difference, interval] = FORMATS[unitOf(name, value)];
  const ci = `95% CI ${interval(value.low95, value.high95)}`;
  // Measured value is a saving, not a difference: it reads as money over the variant's runs.
  return 'estimate' in value
    ? `${formatUsd(value.estimate)} over ${formatCount(value.runs)} runs (${ci})`
    : `${difference(value.difference)} (${ci})`;
};

/** What a comparison's arms are: the variant's and the baseline's metrics, and the catalog's labour rate. */
export interface ComparedArms {
  readonly variant: VariantMetrics;
  readonly baseline: VariantMetrics;
  readonly laborCostPerHourUsd: number | null;
}

/** Why a difference is null: an arm without the sample (named), no labour rate, or an unknown AI cost. */
const whyUnknown = (name: DifferenceName, c: VariantComparison, arms: ComparedArms): string => {
  const { count, sample } = DIFFERENCES[name];
  const least = name === 'successRate' || name === 'acceptanceRate' || name === 'overrideRate' ? 1 : 2;
  const short = (
    [
      [c.variant, arms.variant],
      [c.baseline, arms.baseline],
    ] as const
  ).filter(([, m]) => count(m) < least);
  if (short.length > 0)
    return `${least === 1 ? 'no' : 'fewer than 2'} ${sample} for ${short.map(([v]) => v).join(' and ')}`;
  if (arms.laborCostPerHourUsd === null) return 'the catalog sets no labour cost per hour';
  return 'AI cost per run unknown (unpriced usage)';
};

/**
 * A comparison's rows, in the order shown: rates, means, cost per run and measured value.
 *
 * @example
 * ```ts
 * differenceRows(comparison, { variant: ai, baseline: human, laborCostPerHourUsd: 55 })[3];
 * // { key: 'durationMs', state: 'too-few', text: '-4.4 min (95% CI -5.3 to -3.5 min)', note: 'too few to tell (18 of 30 needed)', … }
 * ```
 */
export const differenceRows = (c: VariantComparison, arms: ComparedArms): DifferenceRow[] =>
  (Object.keys(DIFFERENCES) as DifferenceName[]).map((key) => {
    const value = c[key];
    const { label, count } = DIFFERENCES[key];
    if (value === null)
      return { key, label, state: 'unknown', interval: null, text: UNKNOWN, note: whyUnknown(key, c, arms) };
    const estimate = 'estimate' in value ? value.estimate : value.difference;
    const n = Math.min(count(arms.variant), count(arms.baseline));
    return {
      key,
      label,
      state: value.claimed ? 'claimed' : 'too-few',
      interval: { estimate, low95: value.low95, high95: value.high95 },
      text: textOf(key, value),
      note: value.claimed
        ? null
        : `too few to tell (${formatCount(n)} of ${formatCount(value.minimumPerArm)} needed)`,
    };
  });
