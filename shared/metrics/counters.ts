import { createHash } from 'node:crypto';
import { BOUNDS, type BoundedField } from '../../events/bounds.ts';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { toScaledInteger } from '../money.ts';
import { DistinctSketch } from './distinct-sketch.ts';
import { latencyBucket } from './latency-histogram.ts';

/**
 * Exact integer counters kept per workflow per UTC hour and day. Everything the API derives (the
 * metrics of docs/counting.md, Metrics) is computed from these at read time, so changing a catalog
 * assumption re-values history.
 */
export const COUNTER_FIELDS = [
  'usageEvents',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'unpricedUsageEvents',
  'pricedUsageEvents',
  'costReportedNanos',
  'costPricedNanos',
  'latencySumMs',
  'succeeded',
  'failed',
  'abandoned',
  'valueReportedNanos',
  'succeededWithValue',
  'minutesSavedReportedMilli',
  'succeededWithMinutes',
  'qualityScoreMilliSum',
  'qualityScored',
  'durationMsSum',
  'durationCount',
  // Per-run moments for comparing variants (docs/counting.md, "Comparing variants"): the count of
  // runs that reported the quantity, beside its sum above, and the sum of its squares in the unit of
  // BOUNDS[field].squareDecimals, so means and variances over any range are exact.
  'valueReportedCount',
  'valueSquares',
  'minutesSavedCount',
  'minutesSavedSquares',
  'qualityScoreSquares',
  'durationMsSquares',
  'accepted',
  'edited',
  'rejected',
  'escalated',
  'reviewMsSum',
  'reviewTimed',
] as const;

export type CounterField = (typeof COUNTER_FIELDS)[number];

export interface Counters {
  readonly values: Record<CounterField, bigint>;
  /** Latency histogram: bucket index → count (see latency-histogram.ts). */
  readonly latency: Map<number, bigint>;
  /** Override reasonCode → count. */
  readonly reasons: Map<string, bigint>;
  /** Price table entry used at ingestion → usage events priced with it. */
  readonly pricedBy: Map<string, bigint>;
  /** Distinct userIds seen, as a mergeable sketch of their hashes. */
  readonly users: DistinctSketch;
}

export const emptyCounters = (): Counters => ({
  values: Object.fromEntries(COUNTER_FIELDS.map((field) => [field, 0n])) as Record<CounterField, bigint>,
  latency: new Map(),
  reasons: new Map(),
  pricedBy: new Map(),
  users: new DistinctSketch(),
});

const addTo = <K>(map: Map<K, bigint>, key: K, amount: bigint): void => {
  map.set(key, (map.get(key) ?? 0n) + amount);
};

/** Adds `delta` into `target` in place and returns it. */
export const mergeCounters = (target: Counters, delta: Counters): Counters => {
  for (const field of COUNTER_FIELDS) target.values[field] += delta.values[field];
  for (const [key, count] of delta.latency) addTo(target.latency, key, count);
  for (const [key, count] of delta.reasons) addTo(target.reasons, key, count);
  for (const [key, count] of delta.pricedBy) addTo(target.pricedBy, key, count);
  target.users.merge(delta.users);
  return target;
};

/**
 * Subtracts `part` from `target` in place and returns it: the `default` variant is a workflow's totals
 * minus its named variants. Distinct users cannot be subtracted (a sketch only merges), so the
 * result's users sketch is left empty and its users must not be read.
 */
export const subtractCounters = (target: Counters, part: Counters): Counters => {
  for (const field of COUNTER_FIELDS) target.values[field] -= part.values[field];
  for (const [key, count] of part.latency) addTo(target.latency, key, -count);
  for (const [key, count] of part.reasons) addTo(target.reasons, key, -count);
  for (const [key, count] of part.pricedBy) addTo(target.pricedBy, key, -count);
  const dropZeros = <K>(map: Map<K, bigint>) => {
    for (const [key, count] of map) if (count === 0n) map.delete(key);
  };
  dropZeros(target.latency);
  dropZeros(target.reasons);
  dropZeros(target.pricedBy);
  return { ...target, users: new DistinctSketch() };
};

/** 64 bits of SHA-256 stand in for a userId: the raw id is never stored, and the sketch needs a uniform hash. */
export const userToken = (userId: string): string =>
  createHash('sha256').update(userId).digest('hex').slice(0, 16);

/** A price for a usage event without `costUsd`, and which price table entry gave it. */
export interface PricedUsage {
  readonly costNanos: bigint;
  readonly priceRef: string;
}

/** Prices usage from the catalog's price table; undefined when the model has no price. */
export type Pricer = (usage: {
  readonly model: string;
  readonly provider?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
  readonly cacheCreationInputTokens?: number;
  readonly reasoningOutputTokens?: number;
}) => PricedUsage | undefined;

export const noPrices: Pricer = () => undefined;

// Every number becomes an exact integer in its field's stored unit (bounds.ts) through decimal
// arithmetic, which cannot overflow: defence in depth behind the schema's bounds, so that no value a
// schema accepts can throw here and dead-letter a batch.
const scaled = (field: BoundedField, value: number): bigint =>
  toScaledInteger(value, BOUNDS[field].sumDecimals);

/** The square of a value in its field's square unit (BOUNDS[field].squareDecimals). */
const squared = (field: BoundedField, value: number): bigint => {
  const unit = toScaledInteger(value, BOUNDS[field].squareDecimals ?? 0);
  return unit * unit;
};

/**
 * The counter delta one validated event contributes.
 *
 * @example
 * ```ts
 * const delta = deltaFromEvent(event, catalogPricer);
 * mergeCounters(hourTotals, delta);
 * ```
 */
export const deltaFromEvent = (event: WorkflowEvent, price: Pricer): Counters => {
  const delta = emptyCounters();
  const v = delta.values;
  if (event.detail.userId !== undefined) delta.users.add(userToken(event.detail.userId));
  switch (event.kind) {
    case 'ai.workflow.usage': {
      const d = event.detail;
      v.usageEvents = 1n;
      v.inputTokens = scaled('inputTokens', d.inputTokens);
      v.outputTokens = scaled('outputTokens', d.outputTokens);
      v.cachedInputTokens = scaled('cachedInputTokens', d.cachedInputTokens ?? 0);
      v.latencySumMs = scaled('latencyMs', d.latencyMs);
      delta.latency.set(latencyBucket(d.latencyMs), 1n);
      if (d.costUsd !== undefined) {
        v.costReportedNanos = scaled('costUsd', d.costUsd);
      } else {
        const priced = price(d);
        if (priced) {
          v.pricedUsageEvents = 1n;
          v.costPricedNanos = priced.costNanos;
          delta.pricedBy.set(priced.priceRef, 1n);
        } else {
          v.unpricedUsageEvents = 1n;
        }
      }
      break;
    }
    case 'ai.workflow.outcome': {
      const d = event.detail;
      v[d.status] = 1n;
      const succeeded = d.status === 'succeeded';
      if (d.valueUsd !== undefined) {
        v.valueReportedNanos = scaled('valueUsd', d.valueUsd);
        v.valueReportedCount = 1n;
        v.valueSquares = squared('valueUsd', d.valueUsd);
        if (succeeded) v.succeededWithValue = 1n;
      }
      if (d.minutesSaved !== undefined) {
        v.minutesSavedReportedMilli = scaled('minutesSaved', d.minutesSaved);
        v.minutesSavedCount = 1n;
        v.minutesSavedSquares = squared('minutesSaved', d.minutesSaved);
        if (succeeded) v.succeededWithMinutes = 1n;
      }
      if (d.qualityScore !== undefined) {
        v.qualityScoreMilliSum = scaled('qualityScore', d.qualityScore);
        v.qualityScored = 1n;
        v.qualityScoreSquares = squared('qualityScore', d.qualityScore);
      }
      if (d.durationMs !== undefined) {
        v.durationMsSum = scaled('durationMs', d.durationMs);
        v.durationCount = 1n;
        v.durationMsSquares = squared('durationMs', d.durationMs);
      }
      break;
    }
    case 'ai.workflow.override': {
      const d = event.detail;
      v[d.decision] = 1n;
      if (d.reasonCode !== undefined) delta.reasons.set(d.reasonCode, 1n);
      if (d.reviewMs !== undefined) {
        v.reviewMsSum = scaled('reviewMs', d.reviewMs);
        v.reviewTimed = 1n;
      }
      break;
    }
  }
  return delta;
};
