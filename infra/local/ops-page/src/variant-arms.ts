// Each variant's own figures as the variants panel shows them, side by side. No DOM here: the
// figures are plain text from the shared formatters, so a unit test reads them without a browser.
import { formatMinutes, formatSeconds } from '../../../../shared/format/intervals.ts';
import { formatUsd, UNKNOWN } from '../../../../shared/format/money.ts';
import { formatCount, formatRateWithInterval } from '../../../../shared/format/rates.ts';
import type { VariantMetrics } from '../../../../shared/metrics/variant-metrics.ts';
import { wilsonInterval } from '../../../../shared/metrics/wilson.ts';
import type { WorkflowVariantsResponse } from './api.ts';

/** The figures of one variant, in the order shown; the keys name them in the page (`data-figure`). */
export const ArmFigure = {
  runs: 'runs',
  successRate: 'success rate',
  acceptanceRate: 'accepted',
  overrideRate: 'overridden',
  duration: 'mean duration',
  aiCost: 'AI cost per run',
  laborCost: 'labour cost per run',
} as const;
export type ArmFigureName = keyof typeof ArmFigure;

/** One variant as shown: its name, what it is, and its figures as text. */
export interface ArmView {
  readonly variant: string;
  readonly baseline: boolean;
  /** Runs without any usage event: people doing the work (the digest calls such an arm human-only). */
  readonly humanOnly: boolean;
  readonly figures: Readonly<Record<ArmFigureName, string>>;
}

/** A rate with its Wilson interval; `unknown` with nothing to measure (never 0 %). */
const rate = (successes: number, trials: number, value: number | null): string => {
  const interval = wilsonInterval(successes, trials);
  return value === null || interval === null
    ? UNKNOWN
    : formatRateWithInterval(value, interval.low, interval.high);
};

// Runs under a minute read in seconds (4.8 s), where minutes would read 0.1 min.
const duration = (ms: number | null) =>
  ms === null ? UNKNOWN : Math.abs(ms) < 60_000 ? formatSeconds(ms) : formatMinutes(ms);

const figuresOf = (m: VariantMetrics): ArmView['figures'] => ({
  runs: formatCount(m.runs),
  successRate: rate(m.succeeded, m.runs, m.successRate),
  acceptanceRate: rate(m.accepted, m.reviews, m.acceptanceRate),
  overrideRate: rate(m.edited + m.rejected, m.reviews, m.overrideRate),
  duration: duration(m.durationMsMean),
  aiCost: formatUsd(m.aiCostPerRunUsd),
  laborCost: formatUsd(m.laborCostPerRunUsd),
});

/**
 * Whether a workflow has variants to show: more than one, or a comparison with its baseline.
 *
 * @example
 * ```ts
 * showsVariants(await api.variants('marketing-copy', range.query)); // false: only `default`
 * ```
 */
export const showsVariants = (response: WorkflowVariantsResponse): boolean =>
  response.variants.length > 1 || response.comparisons.length > 0;

/**
 * Every variant of the response with its figures, the baseline first (the column the others are read
 * against), then in the API's order.
 *
 * @example
 * ```ts
 * armViews(response)[0]; // { variant: 'human', baseline: true, humanOnly: true, figures: { runs: '18', … } }
 * ```
 */
export const armViews = (response: WorkflowVariantsResponse): ArmView[] =>
  response.variants
    .map(({ variant, metrics }) => ({
      variant,
      baseline: variant === response.baselineVariant,
      humanOnly: metrics.runs > 0 && metrics.usageEvents === 0,
      figures: figuresOf(metrics),
    }))
    .sort((a, b) => Number(b.baseline) - Number(a.baseline));
