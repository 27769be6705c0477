import { AT_LEAST, formatRoi, formatUsd, UNKNOWN } from './money.ts';
import { formatHours, formatPercent } from './rates.ts';

/**
 * The value, cost, net and ROI of a workflow or a fleet with what is known about each (see
 * docs/counting.md, Unknown is not zero): every surface (API display, terminal, digest) reads
 * these through one formatter.
 */
export interface BoundedFigures {
  readonly valueUsd: number | null;
  readonly valueCoverage: number | null;
  readonly costUsd: number;
  readonly costComplete: boolean;
  readonly netValueUsd: number | null;
  readonly roi: number | null;
}

/** What a cost with unpriced usage and no priced part is shown as. */
export const UNPRICED = 'unpriced';

/**
 * Hours saved, or `unknown` when no run reported minutesSaved and the catalog assumes none.
 *
 * @example
 * ```ts
 * formatHoursSaved(12.5); // '12.5 h'
 * formatHoursSaved(null); // 'unknown'
 * ```
 */
export const formatHoursSaved = (hours: number | null): string =>
  hours === null ? UNKNOWN : formatHours(hours);

/** True when value is known for only some successes, so value, net and ROI are lower bounds. */
export const valueIsLowerBound = (f: Pick<BoundedFigures, 'valueUsd' | 'valueCoverage'>): boolean =>
  f.valueUsd !== null && f.valueCoverage !== null && f.valueCoverage < 1;

/**
 * Value: `$1,200.00`, `≥ $1,200.00` when only some successes have a value, `unknown` when none has.
 *
 * @example
 * ```ts
 * formatValue({ valueUsd: 1200, valueCoverage: 0.6 }); // '≥ $1,200.00'
 * ```
 */
export const formatValue = (f: Pick<BoundedFigures, 'valueUsd' | 'valueCoverage'>): string =>
  f.valueUsd === null ? UNKNOWN : `${valueIsLowerBound(f) ? AT_LEAST : ''}${formatUsd(f.valueUsd)}`;

/** `value known for 60% of successes`, or null when coverage is complete or there were no successes. */
export const formatValueCoverage = (coverage: number | null): string | null =>
  coverage === null || coverage >= 1 ? null : `value known for ${formatPercent(coverage)} of successes`;

/**
 * Cost: `$0.17`, `≥ $0.17` when some usage is unpriced, `unpriced` when none of it is priced.
 *
 * @example
 * ```ts
 * formatCost({ costUsd: 0, costComplete: false }); // 'unpriced'
 * ```
 */
export const formatCost = (f: Pick<BoundedFigures, 'costUsd' | 'costComplete'>): string => {
  if (f.costComplete) return formatUsd(f.costUsd);
  return f.costUsd === 0 ? UNPRICED : `${AT_LEAST}${formatUsd(f.costUsd)}`;
};

/**
 * Net value: a lower bound (`≥`) when value is, an upper bound (`≤`) when cost is, `unknown` when
 * value is unknown or both are bounds.
 *
 * @example
 * ```ts
 * formatNet({ valueUsd: 10, valueCoverage: 1, costUsd: 2, costComplete: false, netValueUsd: 8, roi: null }); // '≤ $8.00'
 * ```
 */
export const formatNet = (f: BoundedFigures): string => {
  if (f.netValueUsd === null) return UNKNOWN;
  const mark = !f.costComplete ? '≤ ' : valueIsLowerBound(f) ? AT_LEAST : '';
  return `${mark}${formatUsd(f.netValueUsd)}`;
};

/**
 * ROI: `≥ 2.1×` when value is a lower bound; `unknown` when it cannot be computed.
 *
 * @example
 * ```ts
 * formatBoundedRoi({ valueUsd: 0, valueCoverage: null, costUsd: 0.07, costComplete: true, netValueUsd: null, roi: null }); // 'unknown'
 * ```
 */
export const formatBoundedRoi = (f: BoundedFigures): string =>
  f.roi === null ? UNKNOWN : `${valueIsLowerBound(f) ? AT_LEAST : ''}${formatRoi(f.roi)}`;
