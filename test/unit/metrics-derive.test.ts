import { describe, expect, it } from 'vitest';
import type { OutcomeDetail, OverrideDetail, UsageDetail, WorkflowEvent } from '../../events/schemas.ts';
import {
  COUNTER_FIELDS,
  type Counters,
  deltaFromEvent,
  emptyCounters,
  mergeCounters,
  noPrices,
  type Pricer,
  userToken,
} from '../../shared/metrics/counters.ts';
import { deriveMetrics } from '../../shared/metrics/derive.ts';
import { DistinctSketch, SKETCH_RELATIVE_ERROR } from '../../shared/metrics/distinct-sketch.ts';
import {
  LATENCY_RELATIVE_ERROR,
  latencyBucket,
  latencyQuantile,
} from '../../shared/metrics/latency-histogram.ts';
import { wilsonInterval, Z_95 } from '../../shared/metrics/wilson.ts';

const COMMON = {
  schemaVersion: 1 as const,
  workflowId: 'invoice-bot',
  occurredAt: '2026-11-23T10:15:00Z',
};

let sequence = 0;
const nextId = (): string => `evt-${++sequence}`;

const usage = (patch: Partial<UsageDetail> = {}): WorkflowEvent => ({
  kind: 'ai.workflow.usage',
  source: 'acme.invoice-bot',
  detail: {
    ...COMMON,
    eventId: nextId(),
    model: 'gpt-4o-mini',
    inputTokens: 100,
    outputTokens: 20,
    latencyMs: 400,
    ...patch,
  },
});

const outcome = (status: OutcomeDetail['status'], patch: Partial<OutcomeDetail> = {}): WorkflowEvent => ({
  kind: 'ai.workflow.outcome',
  source: 'acme.invoice-bot',
  detail: { ...COMMON, eventId: nextId(), status, ...patch },
});

const override = (
  decision: OverrideDetail['decision'],
  patch: Partial<OverrideDetail> = {},
): WorkflowEvent => ({
  kind: 'ai.workflow.override',
  source: 'acme.invoice-bot',
  detail: { ...COMMON, eventId: nextId(), decision, ...patch },
});

const times = (n: number, make: () => WorkflowEvent): WorkflowEvent[] => Array.from({ length: n }, make);

/** Counters of a list of events, built through the real delta and merge functions. */
const countersOf = (events: readonly WorkflowEvent[], price: Pricer = noPrices): Counters => {
  const counters = emptyCounters();
  for (const event of events) mergeCounters(counters, deltaFromEvent(event, price));
  return counters;
};

/** A test price table: 1,000 nano-USD per input token and 3,000 per output token, for one model only. */
const PRICED_MODEL = 'priced-model';
const testPricer: Pricer = (u) =>
  u.model === PRICED_MODEL
    ? { costNanos: BigInt(u.inputTokens) * 1_000n + BigInt(u.outputTokens) * 3_000n, priceRef: 'test/priced' }
    : undefined;

describe('emptyCounters and mergeCounters', () => {
  it('starts every counter at zero with empty histograms, reasons, prices and users', () => {
    // Act
    const counters = emptyCounters();

    // Assess
    expect(Object.keys(counters.values).sort()).toEqual([...COUNTER_FIELDS].sort());
    expect(Object.values(counters.values).every((value) => value === 0n)).toBe(true);
    expect(counters.latency.size + counters.reasons.size + counters.pricedBy.size).toBe(0);
    expect(counters.users.isEmpty).toBe(true);
  });

  it('returns fresh counters each time, so buckets never share state', () => {
    // Prepare
    const a = emptyCounters();
    const b = emptyCounters();

    // Act
    a.values.succeeded = 5n;
    a.users.add('0123456789abcdef');

    // Assess
    expect(b.values.succeeded).toBe(0n);
    expect(b.users.isEmpty).toBe(true);
  });

  it('adds every counter, histogram bucket, reason, price reference and user of a delta into the target', () => {
    // Prepare
    const target = countersOf(
      [
        outcome('succeeded', { valueUsd: 2 }),
        override('edited', { reasonCode: 'tone', userId: 'u-1' }),
        usage({ latencyMs: 100, model: PRICED_MODEL }),
      ],
      testPricer,
    );
    const delta = countersOf(
      [
        outcome('succeeded', { valueUsd: 3 }),
        override('rejected', { reasonCode: 'tone', userId: 'u-2' }),
        usage({ latencyMs: 100, model: PRICED_MODEL }),
      ],
      testPricer,
    );

    // Act
    const merged = mergeCounters(target, delta);

    // Assess
    expect(merged).toBe(target);
    expect(merged.values.succeeded).toBe(2n);
    expect(merged.values.valueReportedNanos).toBe(5_000_000_000n);
    expect(merged.values.edited + merged.values.rejected).toBe(2n);
    expect(merged.latency.get(latencyBucket(100))).toBe(2n);
    expect(merged.reasons.get('tone')).toBe(2n);
    expect(merged.pricedBy.get('test/priced')).toBe(2n);
    expect(merged.users.estimate).toBe(2);
  });

  it('leaves the delta unchanged', () => {
    // Prepare
    const target = countersOf([outcome('failed')]);
    const delta = countersOf([outcome('failed'), override('accepted', { reasonCode: 'ok' })]);

    // Act
    mergeCounters(target, delta);

    // Assess
    expect(delta.values.failed).toBe(1n);
    expect(delta.reasons.get('ok')).toBe(1n);
    expect(target.values.failed).toBe(2n);
  });
});

describe('deltaFromEvent', () => {
  it('counts a usage event with its tokens, latency and reported cost', () => {
    // Prepare
    const event = usage({
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 64,
      latencyMs: 850,
      costUsd: 0.0042,
    });

    // Act
    const delta = deltaFromEvent(event, testPricer);

    // Assess
    expect(delta.values).toMatchObject({
      usageEvents: 1n,
      inputTokens: 1200n,
      outputTokens: 300n,
      cachedInputTokens: 64n,
      latencySumMs: 850n,
      costReportedNanos: 4_200_000n,
      costPricedNanos: 0n,
      unpricedUsageEvents: 0n,
    });
    expect([...delta.latency]).toEqual([[latencyBucket(850), 1n]]);
  });

  it('prices a usage event without costUsd from the price table and records which entry priced it', () => {
    // Prepare
    const event = usage({ model: PRICED_MODEL, inputTokens: 1000, outputTokens: 200 });

    // Act
    const delta = deltaFromEvent(event, testPricer);

    // Assess
    expect(delta.values.costPricedNanos).toBe(1000n * 1_000n + 200n * 3_000n);
    expect(delta.values.pricedUsageEvents).toBe(1n);
    expect(delta.values.unpricedUsageEvents).toBe(0n);
    expect([...delta.pricedBy]).toEqual([['test/priced', 1n]]);
  });

  it('counts usage of a model with no price as unpriced, never as $0 of priced cost', () => {
    // Prepare
    const event = usage({ model: 'unknown-model' });

    // Act
    const delta = deltaFromEvent(event, noPrices);

    // Assess
    expect(delta.values.unpricedUsageEvents).toBe(1n);
    expect(delta.values.pricedUsageEvents).toBe(0n);
    expect(delta.values.costPricedNanos + delta.values.costReportedNanos).toBe(0n);
  });

  it('treats a reported costUsd of 0 as a reported cost, not as unpriced usage', () => {
    // Act
    const delta = deltaFromEvent(usage({ costUsd: 0, model: 'unknown-model' }), noPrices);

    // Assess
    expect(delta.values.unpricedUsageEvents).toBe(0n);
    expect(delta.values.costReportedNanos).toBe(0n);
    expect(delta.values.usageEvents).toBe(1n);
  });

  it('counts a succeeded outcome with reported value and minutes so assumptions skip it', () => {
    // Act
    const delta = deltaFromEvent(
      outcome('succeeded', { valueUsd: 12.5, minutesSaved: 7.25, qualityScore: 0.8, durationMs: 900 }),
      noPrices,
    );

    // Assess
    expect(delta.values).toMatchObject({
      succeeded: 1n,
      valueReportedNanos: 12_500_000_000n,
      succeededWithValue: 1n,
      minutesSavedReportedMilli: 7_250n,
      succeededWithMinutes: 1n,
      qualityScoreMilliSum: 800n,
      qualityScored: 1n,
      durationMsSum: 900n,
      durationCount: 1n,
    });
  });

  it('counts an override decision with its reason and review time', () => {
    // Act
    const delta = deltaFromEvent(
      override('rejected', { reasonCode: 'hallucination', reviewMs: 4200 }),
      noPrices,
    );

    // Assess
    expect(delta.values).toMatchObject({ rejected: 1n, accepted: 0n, reviewMsSum: 4200n, reviewTimed: 1n });
    expect([...delta.reasons]).toEqual([['hallucination', 1n]]);
  });

  it('remembers a user by a token, not by the raw userId', () => {
    // Act
    const delta = deltaFromEvent(usage({ userId: 'u_8f3a9b2c' }), noPrices);

    // Assess
    const byToken = new DistinctSketch();
    byToken.add(userToken('u_8f3a9b2c'));
    expect(delta.users.estimate).toBe(1);
    expect(delta.users.registers).toEqual(byToken.registers);
  });
});

describe('deriveMetrics: runs and value', () => {
  it('counts runs as succeeded + failed + abandoned outcomes and the success rate over them', () => {
    // Prepare
    const counters = countersOf([
      ...times(6, () => outcome('succeeded')),
      ...times(3, () => outcome('failed')),
      outcome('abandoned'),
      usage(),
      override('accepted'),
    ]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.runs).toBe(10);
    expect(m.succeeded).toBe(6);
    expect(m.failed).toBe(3);
    expect(m.abandoned).toBe(1);
    expect(m.successRate).toBeCloseTo(6 / 10, 10);
  });

  it('adds catalog-priced cost to reported cost', () => {
    // Prepare: $0.25 + $0.50 reported; 100 input + 10 output tokens priced at 1,000 and 3,000 nano-USD.
    const counters = countersOf(
      [
        usage({ costUsd: 0.25 }),
        usage({ costUsd: 0.5 }),
        usage({ model: PRICED_MODEL, inputTokens: 100, outputTokens: 10 }),
      ],
      testPricer,
    );
    const pricedUsd = (100 * 1_000 + 10 * 3_000) / 1e9;

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.costReportedUsd).toBe(0.75);
    expect(m.costCatalogPricedUsd).toBeCloseTo(pricedUsd, 12);
    expect(m.costUsd).toBeCloseTo(0.75 + pricedUsd, 12);
    expect(m.usageEvents).toBe(3);
    expect(m.unpricedUsageEvents).toBe(0);
  });

  it('values successes without reported value at the catalog valuePerSuccessUsd', () => {
    // Prepare: $10 + $20 reported on two successes; two more successes report nothing.
    const counters = countersOf([
      outcome('succeeded', { valueUsd: 10 }),
      outcome('succeeded', { valueUsd: 20 }),
      outcome('succeeded'),
      outcome('succeeded'),
      outcome('failed'),
    ]);

    // Act
    const withAssumption = deriveMetrics(counters, { valuePerSuccessUsd: 4.5 });
    const withoutAssumption = deriveMetrics(counters);

    // Assess
    expect(withAssumption.valueReportedUsd).toBe(30);
    expect(withAssumption.valueAssumedUsd).toBe(2 * 4.5);
    expect(withAssumption.valueUsd).toBe(30 + 2 * 4.5);
    expect(withoutAssumption.valueUsd).toBe(30);
    expect(withoutAssumption.valueAssumedUsd).toBe(0);
  });

  it('derives net value, ROI and cost per success from value and cost', () => {
    // Prepare: cost $10; value $30 reported + 2 × $4.50 assumed = $39; 4 successes.
    const counters = countersOf([
      usage({ costUsd: 6 }),
      usage({ costUsd: 4 }),
      outcome('succeeded', { valueUsd: 10 }),
      outcome('succeeded', { valueUsd: 20 }),
      outcome('succeeded'),
      outcome('succeeded'),
    ]);

    // Act
    const m = deriveMetrics(counters, { valuePerSuccessUsd: 4.5 });

    // Assess
    expect(m.costUsd).toBe(10);
    expect(m.valueUsd).toBe(39);
    expect(m.netValueUsd).toBe(29);
    expect(m.roi).toBeCloseTo(29 / 10, 4);
    expect(m.costPerSuccessUsd).toBeCloseTo(10 / 4, 9);
  });

  it('reports a negative net value and ROI when cost exceeds value', () => {
    // Prepare
    const counters = countersOf([usage({ costUsd: 4 }), outcome('succeeded', { valueUsd: 1 })]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.netValueUsd).toBe(-3);
    expect(m.roi).toBeCloseTo(-3 / 4, 4);
  });

  it('reports ROI as null, not infinite, when nothing cost anything', () => {
    // Prepare
    const counters = countersOf([outcome('succeeded', { valueUsd: 50 })]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.costUsd).toBe(0);
    expect(m.netValueUsd).toBe(50);
    expect(m.roi).toBeNull();
    expect(m.costPerSuccessUsd).toBe(0);
  });

  it('reports cost per success as null when nothing succeeded', () => {
    // Prepare
    const counters = countersOf([usage({ costUsd: 3 }), outcome('failed'), outcome('abandoned')]);

    // Act
    const m = deriveMetrics(counters, { valuePerSuccessUsd: 5 });

    // Assess
    expect(m.costPerSuccessUsd).toBeNull();
    expect(m.successRate).toBe(0);
    expect(m.valueUsd).toBe(0);
    expect(m.roi).toBeCloseTo(-1, 4);
  });

  it('converts reported and assumed minutes saved into hours', () => {
    // Prepare: 30 + 15.5 minutes reported; 3 successes report none; a failure reports none.
    const counters = countersOf([
      outcome('succeeded', { minutesSaved: 30 }),
      outcome('succeeded', { minutesSaved: 15.5 }),
      ...times(3, () => outcome('succeeded')),
      outcome('failed'),
    ]);

    // Act
    const withAssumption = deriveMetrics(counters, { minutesSavedPerSuccess: 6 });
    const withoutAssumption = deriveMetrics(counters);

    // Assess
    expect(withAssumption.hoursSaved).toBeCloseTo((45.5 + 3 * 6) / 60, 4);
    expect(withAssumption.hoursSavedReported).toBeCloseTo(45.5 / 60, 4);
    expect(withAssumption.hoursSavedAssumed).toBeCloseTo((3 * 6) / 60, 4);
    expect(withoutAssumption.hoursSaved).toBeCloseTo(45.5 / 60, 4);
    expect(withoutAssumption.hoursSavedAssumed).toBe(0);
  });

  it('leaves hours saved unknown, not 0, when no run reported minutes and the catalog assumes none', () => {
    // Prepare
    const counters = countersOf([...times(4, () => outcome('succeeded')), outcome('failed')]);

    // Act
    const unknown = deriveMetrics(counters);
    const assumed = deriveMetrics(counters, { minutesSavedPerSuccess: 0 });

    // Assess
    expect(unknown.hoursSaved).toBeNull();
    expect(unknown.hoursSavedReported).toBe(0);
    expect(assumed.hoursSaved).toBe(0);
  });

  it('shows a reported cost of $1.14 as 1.14, the amount the producer sent', () => {
    // Prepare
    const counters = countersOf([usage({ costUsd: 1.14 })]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.costUsd).toBe(1.14);
  });

  it('exposes the raw counters under their API names', () => {
    // Prepare
    const counters = countersOf([
      usage({ inputTokens: 10, outputTokens: 5, model: 'nobody-prices-this' }),
      usage({ inputTokens: 7, outputTokens: 3, costUsd: 0.01 }),
      outcome('succeeded'),
      override('escalated'),
    ]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m).toMatchObject({
      usageEvents: 2,
      inputTokens: 17,
      outputTokens: 8,
      unpricedUsageEvents: 1,
      succeeded: 1,
      failed: 0,
      abandoned: 0,
      accepted: 0,
      edited: 0,
      rejected: 0,
      escalated: 1,
    });
  });
});

describe('deriveMetrics: trust', () => {
  it('derives reviews, review rate and the decision rates from override counts', () => {
    // Prepare: 6 accepted, 2 edited, 1 rejected, 1 escalated over 20 runs.
    const counters = countersOf([
      ...times(6, () => override('accepted')),
      ...times(2, () => override('edited')),
      override('rejected'),
      override('escalated'),
      ...times(20, () => outcome('succeeded')),
    ]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.reviews).toBe(10);
    expect(m.reviewRate).toBeCloseTo(10 / 20, 10);
    expect(m.acceptanceRate).toBeCloseTo(6 / 10, 10);
    expect(m.overrideRate).toBeCloseTo((2 + 1) / 10, 10);
    expect(m.escalationRate).toBeCloseTo(1 / 10, 10);
  });

  it.each([
    // Published Wilson score intervals at 95 % (z = 1.96).
    { accepted: 9, reviews: 10, low: 0.5958, high: 0.9821 },
    { accepted: 5, reviews: 10, low: 0.2366, high: 0.7634 },
    { accepted: 0, reviews: 10, low: 0, high: 0.2775 },
    { accepted: 10, reviews: 10, low: 0.7225, high: 1 },
    { accepted: 50, reviews: 100, low: 0.4038, high: 0.5962 },
  ])(
    'bounds an acceptance of $accepted/$reviews by the Wilson interval [$low, $high]',
    ({ accepted, reviews, low, high }) => {
      // Prepare
      const counters = countersOf([
        ...times(accepted, () => override('accepted')),
        ...times(reviews - accepted, () => override('edited')),
      ]);

      // Act
      const m = deriveMetrics(counters);

      // Assess
      expect(m.acceptanceRateLow95).toBeCloseTo(low, 4);
      expect(m.acceptanceRateHigh95).toBeCloseTo(high, 4);
      expect(m.overrideRateLow95).toBeCloseTo(1 - high, 4);
      expect(m.overrideRateHigh95).toBeCloseTo(1 - low, 4);
    },
  );

  it('bounds the override rate by the Wilson interval of (edited + rejected) / reviews', () => {
    // Prepare: 1 edited + 1 rejected of 20 reviews; escalations count as reviews but not overrides.
    const counters = countersOf([
      override('edited'),
      override('rejected'),
      ...times(2, () => override('escalated')),
      ...times(16, () => override('accepted')),
    ]);
    const expected = wilsonInterval(2, 20);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.overrideRate).toBeCloseTo(0.1, 10);
    expect(m.overrideRateLow95).toBeCloseTo(expected?.low ?? Number.NaN, 6);
    expect(m.overrideRateHigh95).toBeCloseTo(expected?.high ?? Number.NaN, 6);
    // 2/20 at z = 1.96, published: [0.0279, 0.3010].
    expect(m.overrideRateLow95).toBeCloseTo(0.0279, 4);
    expect(m.overrideRateHigh95).toBeCloseTo(0.301, 4);
  });

  it('reports every review-based rate as null when there were no reviews', () => {
    // Prepare
    const counters = countersOf([outcome('succeeded'), outcome('failed')]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.reviews).toBe(0);
    expect(m.reviewRate).toBe(0);
    expect(m.acceptanceRate).toBeNull();
    expect(m.acceptanceRateLow95).toBeNull();
    expect(m.acceptanceRateHigh95).toBeNull();
    expect(m.overrideRate).toBeNull();
    expect(m.overrideRateLow95).toBeNull();
    expect(m.overrideRateHigh95).toBeNull();
    expect(m.escalationRate).toBeNull();
  });

  it('reports run-based rates as null when there were no runs', () => {
    // Prepare
    const counters = countersOf([override('accepted'), usage({ costUsd: 1 })]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.runs).toBe(0);
    expect(m.successRate).toBeNull();
    expect(m.reviewRate).toBeNull();
    expect(m.costPerSuccessUsd).toBeNull();
    expect(m.acceptanceRate).toBe(1);
  });

  it('has zero counters and null rates for a workflow without events', () => {
    // Act
    const m = deriveMetrics(emptyCounters(), { valuePerSuccessUsd: 3, minutesSavedPerSuccess: 5 });

    // Assess
    expect(m).toMatchObject({
      runs: 0,
      reviews: 0,
      costUsd: 0,
      valueUsd: 0,
      netValueUsd: 0,
      hoursSaved: 0,
      activeUsers: 0,
      successRate: null,
      roi: null,
      costPerSuccessUsd: null,
      reviewRate: null,
      acceptanceRate: null,
      overrideRate: null,
      escalationRate: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
    });
    expect(m.topOverrideReasons).toEqual([]);
  });

  it('lists override reasons most frequent first, across merged buckets', () => {
    // Prepare
    const monday = countersOf([
      ...times(2, () => override('edited', { reasonCode: 'hallucination' })),
      override('rejected', { reasonCode: 'tone' }),
      ...times(3, () => override('rejected', { reasonCode: 'wrong_total' })),
    ]);
    const tuesday = countersOf([
      override('edited', { reasonCode: 'hallucination' }),
      ...times(2, () => override('edited', { reasonCode: 'wrong_total' })),
      override('accepted'),
    ]);

    // Act
    const m = deriveMetrics(mergeCounters(monday, tuesday));

    // Assess
    expect(m.topOverrideReasons).toEqual([
      { reasonCode: 'wrong_total', count: 5 },
      { reasonCode: 'hallucination', count: 3 },
      { reasonCode: 'tone', count: 1 },
    ]);
  });

  it('orders reasons with equal counts the same way every time', () => {
    // Prepare
    const forward = countersOf([
      override('edited', { reasonCode: 'b' }),
      override('edited', { reasonCode: 'a' }),
    ]);
    const backward = countersOf([
      override('edited', { reasonCode: 'a' }),
      override('edited', { reasonCode: 'b' }),
    ]);

    // Act
    const orders = [forward, backward].map((c) =>
      deriveMetrics(c).topOverrideReasons.map((r) => r.reasonCode),
    );

    // Assess
    expect(orders[0]).toEqual(orders[1]);
  });
});

describe('deriveMetrics: active users', () => {
  it('counts distinct users across merged hour buckets and event kinds', () => {
    // Prepare
    const tenOClock = countersOf([
      usage({ userId: 'u-1' }),
      usage({ userId: 'u-2' }),
      override('accepted', { userId: 'u-1' }),
      usage(),
    ]);
    const elevenOClock = countersOf([outcome('succeeded', { userId: 'u-2' }), usage({ userId: 'u-3' })]);

    // Act
    const perHour = [deriveMetrics(tenOClock).activeUsers, deriveMetrics(elevenOClock).activeUsers];
    const day = deriveMetrics(mergeCounters(mergeCounters(emptyCounters(), tenOClock), elevenOClock));

    // Assess
    expect(perHour).toEqual([2, 2]);
    expect(day.activeUsers).toBe(3);
  });

  it("counts a thousand distinct users within the sketch's stated error", () => {
    // Prepare
    const counters = countersOf(Array.from({ length: 1000 }, (_, i) => usage({ userId: `user-${i}` })));

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(Math.abs(m.activeUsers - 1000)).toBeLessThanOrEqual(1000 * 3 * SKETCH_RELATIVE_ERROR);
    expect(m.activeUsersRelativeError).toBeCloseTo(SKETCH_RELATIVE_ERROR, 4);
  });
});

describe('Wilson interval', () => {
  it('is null without trials', () => {
    // Act
    const interval = wilsonInterval(0, 0);

    // Assess
    expect(interval).toBeNull();
  });

  it('uses z = 1.96 by default', () => {
    // Act
    const byDefault = wilsonInterval(9, 10);
    const explicit = wilsonInterval(9, 10, 1.96);

    // Assess
    expect(Z_95).toBe(1.96);
    expect(byDefault).toEqual(explicit);
    expect(byDefault?.low).toBeCloseTo(0.5958, 4);
  });

  it('stays within [0, 1] and contains the observed rate', () => {
    // Prepare
    const cases: Array<[number, number]> = [];
    for (const trials of [1, 2, 3, 7, 30, 1000])
      for (let k = 0; k <= trials; k += Math.max(1, trials >> 3)) cases.push([k, trials]);

    // Act
    const bad = cases.filter(([k, n]) => {
      const interval = wilsonInterval(k, n);
      const p = k / n;
      return (
        !interval ||
        interval.low < 0 ||
        interval.high > 1 ||
        interval.low > p + 1e-12 ||
        interval.high < p - 1e-12
      );
    });

    // Assess
    expect(cases.length).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });

  it('narrows as samples grow at the same rate', () => {
    // Act
    const widths = [10, 100, 1000].map((n) => {
      const interval = wilsonInterval(0.9 * n, n);
      return (interval?.high ?? 0) - (interval?.low ?? 1);
    });

    // Assess
    expect(widths[0]).toBeGreaterThan(widths[1] ?? Number.POSITIVE_INFINITY);
    expect(widths[1]).toBeGreaterThan(widths[2] ?? Number.POSITIVE_INFINITY);
  });
});

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The nearest-rank quantile of a sample: the smallest value with at least ceil(q·n) values at or below it. */
const nearestRank = (sample: readonly number[], q: number): number => {
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
};

const histogramOf = (sample: readonly number[]): Map<number, bigint> => {
  const counters = emptyCounters();
  for (const latencyMs of sample)
    mergeCounters(counters, deltaFromEvent(usage({ latencyMs, costUsd: 0 }), noPrices));
  return counters.latency;
};

describe('latency quantiles', () => {
  it('states its error bound: half a log-scale bucket of ratio 2^(1/4), about 9.1 %', () => {
    // Act
    const bound = LATENCY_RELATIVE_ERROR;

    // Assess
    expect(bound).toBeCloseTo(2 ** (1 / 8) - 1, 12);
    expect(bound).toBeLessThan(0.092);
    expect(deriveMetrics(countersOf([usage()])).latencyRelativeError).toBeCloseTo(bound, 4);
  });

  const rand = random(20261123);
  const distributions: Array<{ name: string; sample: number[] }> = [
    { name: 'a constant 120 ms', sample: Array.from({ length: 500 }, () => 120) },
    { name: 'uniform 1–10,000 ms', sample: Array.from({ length: 10_000 }, (_, i) => i + 1) },
    {
      name: 'bimodal: 90 % at 200 ms, 10 % at 4 s',
      sample: [...Array.from({ length: 900 }, () => 200), ...Array.from({ length: 100 }, () => 4000)],
    },
    {
      name: 'exponential with a 300 ms mean',
      sample: Array.from({ length: 5000 }, () => Math.round(-300 * Math.log(1 - rand()))),
    },
    {
      name: 'log-normal around 800 ms',
      sample: Array.from({ length: 5000 }, () => {
        const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        return Math.max(1, Math.round(800 * Math.exp(0.6 * normal)));
      }),
    },
    { name: 'a single 2.5 s call', sample: [2500] },
  ];

  it.each(distributions)('estimates p50 and p95 of $name within the stated relative error', ({ sample }) => {
    // Prepare
    const histogram = histogramOf(sample);
    const truth = { p50: nearestRank(sample, 0.5), p95: nearestRank(sample, 0.95) };
    const counters = emptyCounters();
    for (const [bucket, count] of histogram) counters.latency.set(bucket, count);

    // Act
    const m = deriveMetrics(counters);

    // Assess: the bound plus the 0.05 ms of rounding to one decimal.
    const p50 = m.latencyP50Ms ?? Number.NaN;
    const p95 = m.latencyP95Ms ?? Number.NaN;
    expect(Math.abs(p50 - truth.p50)).toBeLessThanOrEqual(truth.p50 * LATENCY_RELATIVE_ERROR + 0.05);
    expect(Math.abs(p95 - truth.p95)).toBeLessThanOrEqual(truth.p95 * LATENCY_RELATIVE_ERROR + 0.05);
  });

  it('separates a slow tail from the median', () => {
    // Prepare
    const histogram = histogramOf([
      ...Array.from({ length: 90 }, () => 100),
      ...Array.from({ length: 10 }, () => 5000),
    ]);

    // Act
    const p50 = latencyQuantile(histogram, 0.5);
    const p95 = latencyQuantile(histogram, 0.95);

    // Assess
    expect(p50).toBeGreaterThan(100 / (1 + LATENCY_RELATIVE_ERROR));
    expect(p50).toBeLessThan(100 * (1 + LATENCY_RELATIVE_ERROR));
    expect(p95).toBeGreaterThan(5000 / (1 + LATENCY_RELATIVE_ERROR));
  });

  it('gives the same quantiles for a merged histogram as for one built from all events', () => {
    // Prepare
    const sample = Array.from({ length: 2000 }, (_, i) => 50 + ((i * 7919) % 3000));
    const first = countersOf(sample.slice(0, 700).map((latencyMs) => usage({ latencyMs })));
    const second = countersOf(sample.slice(700).map((latencyMs) => usage({ latencyMs })));
    const whole = countersOf(sample.map((latencyMs) => usage({ latencyMs })));

    // Act
    const merged = deriveMetrics(mergeCounters(first, second));
    const direct = deriveMetrics(whole);

    // Assess
    expect([merged.latencyP50Ms, merged.latencyP95Ms]).toEqual([direct.latencyP50Ms, direct.latencyP95Ms]);
    expect(merged.latencyP50Ms).not.toBeNull();
  });

  it('puts latencies in increasing buckets', () => {
    // Prepare
    const latencies = [0, 1, 2, 3, 10, 100, 1000, 10_000, 100_000];

    // Act
    const buckets = latencies.map(latencyBucket);

    // Assess
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThan(buckets[i - 1] ?? Number.NaN);
  });

  it('has no quantile without samples', () => {
    // Act
    const quantile = latencyQuantile(new Map(), 0.5);

    // Assess
    expect(quantile).toBeNull();
  });
});

describe('exact money', () => {
  it('sums a million events of $0.000001 to exactly $1', () => {
    // Prepare
    const delta = deltaFromEvent(usage({ costUsd: 0.000001 }), noPrices);
    const total = emptyCounters();
    let floatSum = 0;

    // Act
    for (let i = 0; i < 1_000_000; i++) {
      mergeCounters(total, delta);
      floatSum += 0.000001;
    }
    const m = deriveMetrics(total);

    // Assess
    expect(delta.values.costReportedNanos).toBe(1000n);
    expect(total.values.costReportedNanos).toBe(1_000_000_000n);
    expect(total.values.usageEvents).toBe(1_000_000n);
    expect(m.costUsd).toBe(1);
    expect(floatSum).not.toBe(1);
  });

  it('keeps an embedding call of $0.0000002 instead of rounding it away', () => {
    // Prepare
    const counters = countersOf(
      times(10, () => usage({ costUsd: 0.0000002, model: 'text-embedding-3-small' })),
    );

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(deltaFromEvent(usage({ costUsd: 0.0000002 }), noPrices).values.costReportedNanos).toBe(200n);
    expect(counters.values.costReportedNanos).toBe(2000n);
    expect(m.costUsd).toBe(0.000002);
  });

  it('sums value reported in tiny amounts exactly as well', () => {
    // Prepare
    const delta = deltaFromEvent(outcome('succeeded', { valueUsd: 0.1 }), noPrices);
    const total = emptyCounters();

    // Act
    for (let i = 0; i < 10; i++) mergeCounters(total, delta);

    // Assess
    expect(total.values.valueReportedNanos).toBe(1_000_000_000n);
    expect(deriveMetrics(total).valueUsd).toBe(1);
  });

  it('counts unpriced usage in unpricedUsageEvents, never as $0 of cost', () => {
    // Prepare
    const counters = countersOf(
      [
        usage({ model: 'mystery-model' }),
        usage({ model: 'mystery-model' }),
        usage({ model: PRICED_MODEL, inputTokens: 1000, outputTokens: 0 }),
        usage({ model: 'mystery-model', costUsd: 0.02 }),
      ],
      testPricer,
    );

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.unpricedUsageEvents).toBe(2);
    expect(m.usageEvents).toBe(4);
    expect(m.costCatalogPricedUsd).toBeCloseTo((1000 * 1_000) / 1e9, 12);
    expect(m.costReportedUsd).toBe(0.02);
    expect(counters.values.pricedUsageEvents).toBe(1n);
  });
});

describe('deriveMetrics: unknown is not zero', () => {
  it('has null value, net and ROI when no success reported valueUsd and the catalog assumes none', () => {
    // Prepare: $0.076 of cost, successes with no value anywhere
    const counters = countersOf([usage({ costUsd: 0.076 }), ...times(3, () => outcome('succeeded'))]);

    // Act
    const m = deriveMetrics(counters, { minutesSavedPerSuccess: 2 });

    // Assess: not $0, not -$0.076, not -1×
    expect(m.valueUsd).toBeNull();
    expect(m.netValueUsd).toBeNull();
    expect(m.roi).toBeNull();
    expect(m.valuedSuccesses).toBe(0);
    expect(m.valueCoverage).toBe(0);
    expect(m.costUsd).toBe(0.076);
    expect(m.costComplete).toBe(true);
  });

  it('keeps a partial value as a lower bound with its coverage, and ROI as a lower bound', () => {
    // Prepare: 3 of 5 successes reported $400 each
    const counters = countersOf([
      usage({ costUsd: 100 }),
      ...times(3, () => outcome('succeeded', { valueUsd: 400 })),
      ...times(2, () => outcome('succeeded')),
    ]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.valueUsd).toBe(1200);
    expect(m.valuedSuccesses).toBe(3);
    expect(m.valueCoverage).toBe(0.6);
    expect(m.netValueUsd).toBe(1100);
    expect(m.roi).toBe(11);
  });

  it('marks cost with unpriced usage incomplete and leaves ROI null, net an upper bound', () => {
    // Prepare: one priced call, one call to a model with no price, value fully assumed
    const counters = countersOf(
      [usage({ model: PRICED_MODEL }), usage({ model: 'no-price' }), outcome('succeeded')],
      testPricer,
    );

    // Act
    const m = deriveMetrics(counters, { valuePerSuccessUsd: 4 });

    // Assess
    expect(m.unpricedUsageEvents).toBe(1);
    expect(m.costComplete).toBe(false);
    expect(m.costUsd).toBe(0.00016);
    expect(m.valueCoverage).toBe(1);
    expect(m.netValueUsd).toBe(3.99984);
    expect(m.roi).toBeNull();
  });

  it('has no net value when both value and cost are lower bounds', () => {
    // Prepare: one of two successes valued, one unpriced call
    const counters = countersOf([
      usage({ model: 'no-price' }),
      outcome('succeeded', { valueUsd: 10 }),
      outcome('succeeded'),
    ]);

    // Act
    const m = deriveMetrics(counters);

    // Assess
    expect(m.valueUsd).toBe(10);
    expect(m.valueCoverage).toBe(0.5);
    expect(m.netValueUsd).toBeNull();
    expect(m.roi).toBeNull();
  });

  it('treats a catalog assumption with no successes as a known $0 of value, a real loss', () => {
    // Prepare
    const counters = countersOf([usage({ costUsd: 2 }), outcome('failed')]);

    // Act
    const m = deriveMetrics(counters, { valuePerSuccessUsd: 5 });

    // Assess
    expect(m.valueUsd).toBe(0);
    expect(m.valueCoverage).toBeNull();
    expect(m.netValueUsd).toBe(-2);
    expect(m.roi).toBe(-1);
  });
});
