import { BOUNDS } from '../../events/bounds.ts';
import type { CounterField, Counters } from './counters.ts';
import { deriveMetrics, type ValueAssumptions, type WorkflowMetrics } from './derive.ts';
import { type Moments, momentsFromSums } from './moments.ts';

/**
 * One variant's metrics: every metric of a workflow (derive.ts) over the variant's runs, plus the
 * per-run means and sample standard deviations (n − 1) the comparisons are built from. Distinct users
 * are counted per workflow only, so `activeUsers` is null here, never 0.
 */
export interface VariantMetrics extends Omit<WorkflowMetrics, 'activeUsers'> {
  readonly activeUsers: null;
  readonly durationMsMean: number | null;
  readonly durationMsStdDev: number | null;
  readonly durationCount: number;
  readonly qualityScoreMean: number | null;
  readonly qualityScoreStdDev: number | null;
  readonly qualityScored: number;
  readonly valueUsdPerRunMean: number | null;
  readonly valueUsdPerRunStdDev: number | null;
  readonly valueUsdReported: number;
  readonly minutesSavedMean: number | null;
  readonly minutesSavedStdDev: number | null;
  /** Mean durationMs priced at the catalog's `laborCostPerHourUsd`; null without either. */
  readonly laborCostPerRunUsd: number | null;
  /** Model cost per run; null with no runs or with unpriced usage (cost is then a lower bound). */
  readonly aiCostPerRunUsd: number | null;
}

/** The counters of one per-run quantity: which field holds its count, its sum and its squares. */
const QUANTITIES = {
  durationMs: { count: 'durationCount', sum: 'durationMsSum', squares: 'durationMsSquares' },
  qualityScore: { count: 'qualityScored', sum: 'qualityScoreMilliSum', squares: 'qualityScoreSquares' },
  valueUsd: { count: 'valueReportedCount', sum: 'valueReportedNanos', squares: 'valueSquares' },
  minutesSaved: {
    count: 'minutesSavedCount',
    sum: 'minutesSavedReportedMilli',
    squares: 'minutesSavedSquares',
  },
} as const satisfies Record<string, Record<'count' | 'sum' | 'squares', CounterField>>;

export type ComparedQuantity = keyof typeof QUANTITIES;

/**
 * The exact moments of a per-run quantity. Sums and squares may be kept at different precisions
 * (money sums in nano-USD, squares in milli-USD², see events/bounds.ts): the squares are brought to the
 * sum's unit first, exactly, by a power of ten.
 *
 * @example
 * ```ts
 * quantityMoments(counters, 'durationMs'); // { count: 48, mean: 612_000, variance: …, stdDev: … }
 * ```
 */
export const quantityMoments = (counters: Counters, quantity: ComparedQuantity): Moments | null => {
  const fields = QUANTITIES[quantity];
  const { sumDecimals, squareDecimals } = BOUNDS[quantity];
  const toSumUnit = 10n ** BigInt(2 * (sumDecimals - (squareDecimals ?? sumDecimals)));
  return momentsFromSums(
    {
      count: counters.values[fields.count],
      sum: counters.values[fields.sum],
      sumOfSquares: counters.values[fields.squares] * toSumUnit,
    },
    10n ** BigInt(sumDecimals),
  );
};

const round = (value: number | null | undefined, digits: number): number | null =>
  value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;

const MS_PER_HOUR = 3_600_000;

/**
 * Derives a variant's metrics from its exact counters.
 *
 * @example
 * ```ts
 * const human = variantMetrics(counters, catalog.assumptionsFor('invoice-triage'), 48);
 * human.laborCostPerRunUsd; // 9.12 at $48 an hour for a mean run of 11.4 minutes
 * ```
 */
export const variantMetrics = (
  counters: Counters,
  assumptions: ValueAssumptions,
  laborCostPerHourUsd: number | null,
): VariantMetrics => {
  const base = deriveMetrics(counters, assumptions);
  const duration = quantityMoments(counters, 'durationMs');
  const quality = quantityMoments(counters, 'qualityScore');
  const value = quantityMoments(counters, 'valueUsd');
  const minutes = quantityMoments(counters, 'minutesSaved');
  return {
    ...base,
    activeUsers: null,
    durationMsMean: round(duration?.mean, 3),
    durationMsStdDev: round(duration?.stdDev, 3),
    durationCount: duration?.count ?? 0,
    qualityScoreMean: round(quality?.mean, 6),
    qualityScoreStdDev: round(quality?.stdDev, 6),
    qualityScored: quality?.count ?? 0,
    valueUsdPerRunMean: round(value?.mean, 6),
    valueUsdPerRunStdDev: round(value?.stdDev, 6),
    valueUsdReported: value?.count ?? 0,
    minutesSavedMean: round(minutes?.mean, 6),
    minutesSavedStdDev: round(minutes?.stdDev, 6),
    laborCostPerRunUsd:
      duration && laborCostPerHourUsd !== null
        ? round((duration.mean * laborCostPerHourUsd) / MS_PER_HOUR, 6)
        : null,
    aiCostPerRunUsd: base.runs > 0 && base.costComplete ? round(base.costUsd / base.runs, 9) : null,
  };
};
