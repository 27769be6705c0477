import { BOUNDS, type BoundedField } from '../../events/bounds.ts';
import { COUNTER_FIELDS, type CounterField, type Counters } from '../../shared/metrics/counters.ts';

/**
 * The fuzz test's oracle: the counters a workflow must hold, computed straight from the fields of
 * the events the contract accepts, by its own decimal arithmetic (not the counting path's). Only the
 * stored unit of each field comes from events/bounds.ts, the one source of that knowledge.
 */

/**
 * `value` as an exact count of 10^-decimals units: its shortest decimal spelling (what `String`
 * writes, and what a producer most likely meant), rounded half up.
 */
export const exactUnits = (value: number, decimals: number): bigint => {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new Error(`not a non-negative finite number: ${value}`);
  const [, whole = '0', fraction = '', exponent = '0'] = match;
  const digits = BigInt(whole + fraction);
  const shift = Number(exponent) - fraction.length + decimals;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const unit = 10n ** BigInt(-shift);
  return digits / unit + (2n * (digits % unit) >= unit ? 1n : 0n);
};

export interface OracleTotals {
  readonly values: Record<CounterField, bigint>;
  /** Usage events without costUsd: priced by the catalog or unpriced, one or the other. */
  usageWithoutCost: bigint;
  readonly reasons: Map<string, bigint>;
  readonly users: Set<string>;
}

export const emptyOracleTotals = (): OracleTotals => ({
  values: Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0n])) as Record<CounterField, bigint>,
  usageWithoutCost: 0n,
  reasons: new Map(),
  users: new Set(),
});

const units = (detail: Record<string, unknown>, field: BoundedField): bigint =>
  exactUnits(detail[field] as number, BOUNDS[field].sumDecimals);

/** The square of a field's value in its square unit (`BOUNDS[field].squareDecimals`). */
const squareUnits = (detail: Record<string, unknown>, field: BoundedField): bigint => {
  const x = exactUnits(detail[field] as number, BOUNDS[field].squareDecimals ?? 0);
  return x * x;
};

/**
 * Adds one accepted event (its detail type and the detail exactly as delivered) to `totals`.
 *
 * @example
 * ```ts
 * addAccepted(totals, 'ai.workflow.outcome', { status: 'succeeded', valueUsd: 4.5, ... });
 * ```
 */
export const addAccepted = (
  totals: OracleTotals,
  detailType: string,
  detail: Record<string, unknown>,
): void => {
  const v = totals.values;
  const has = (field: string) => detail[field] !== undefined;
  if (typeof detail.userId === 'string') totals.users.add(detail.userId);
  if (detailType === 'ai.workflow.usage') {
    v.usageEvents += 1n;
    v.inputTokens += units(detail, 'inputTokens');
    v.outputTokens += units(detail, 'outputTokens');
    if (has('cachedInputTokens')) v.cachedInputTokens += units(detail, 'cachedInputTokens');
    v.latencySumMs += units(detail, 'latencyMs');
    if (has('costUsd')) v.costReportedNanos += units(detail, 'costUsd');
    else totals.usageWithoutCost += 1n;
  } else if (detailType === 'ai.workflow.outcome') {
    const status = detail.status as 'succeeded' | 'failed' | 'abandoned';
    v[status] += 1n;
    if (has('valueUsd')) {
      v.valueReportedNanos += units(detail, 'valueUsd');
      v.valueReportedCount += 1n;
      v.valueSquares += squareUnits(detail, 'valueUsd');
      if (status === 'succeeded') v.succeededWithValue += 1n;
    }
    if (has('minutesSaved')) {
      v.minutesSavedReportedMilli += units(detail, 'minutesSaved');
      v.minutesSavedCount += 1n;
      v.minutesSavedSquares += squareUnits(detail, 'minutesSaved');
      if (status === 'succeeded') v.succeededWithMinutes += 1n;
    }
    if (has('qualityScore')) {
      v.qualityScoreMilliSum += units(detail, 'qualityScore');
      v.qualityScored += 1n;
      v.qualityScoreSquares += squareUnits(detail, 'qualityScore');
    }
    if (has('durationMs')) {
      v.durationMsSum += units(detail, 'durationMs');
      v.durationCount += 1n;
      v.durationMsSquares += squareUnits(detail, 'durationMs');
    }
  } else {
    v[detail.decision as 'accepted' | 'edited' | 'rejected' | 'escalated'] += 1n;
    if (typeof detail.reasonCode === 'string')
      totals.reasons.set(detail.reasonCode, (totals.reasons.get(detail.reasonCode) ?? 0n) + 1n);
    if (has('reviewMs')) {
      v.reviewMsSum += units(detail, 'reviewMs');
      v.reviewTimed += 1n;
    }
  }
};

/** The fields compared with stored counters: everything but the catalog's priced cost. */
const COMPARED = COUNTER_FIELDS.filter(
  (f) => f !== 'costPricedNanos' && f !== 'pricedUsageEvents' && f !== 'unpricedUsageEvents',
);

/**
 * Differences between stored counters and the oracle's, as readable lines (empty when equal).
 *
 * @example
 * ```ts
 * expect(differences(stored, oracle)).toEqual([]);
 * ```
 */
export const differences = (stored: Counters, expected: OracleTotals): string[] => {
  const lines: string[] = [];
  for (const field of COMPARED) {
    if (stored.values[field] !== expected.values[field])
      lines.push(`${field}: stored ${stored.values[field]}, expected ${expected.values[field]}`);
  }
  const withoutCost = stored.values.pricedUsageEvents + stored.values.unpricedUsageEvents;
  if (withoutCost !== expected.usageWithoutCost)
    lines.push(`usage without costUsd: stored ${withoutCost}, expected ${expected.usageWithoutCost}`);
  const reasons = (map: Map<string, bigint>) =>
    JSON.stringify(
      [...map].sort(([a], [b]) => (a < b ? -1 : 1)),
      (_, x) => (typeof x === 'bigint' ? String(x) : x),
    );
  if (reasons(stored.reasons) !== reasons(expected.reasons))
    lines.push(`reasons: stored ${reasons(stored.reasons)}, expected ${reasons(expected.reasons)}`);
  if (stored.users.estimate !== expected.users.size)
    lines.push(`activeUsers: stored ${stored.users.estimate}, expected ${expected.users.size}`);
  return lines;
};
