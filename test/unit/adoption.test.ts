import { describe, expect, it } from 'vitest';
import { adoptionOf } from '../../shared/metrics/adoption.ts';
import { type Counters, emptyCounters, userToken } from '../../shared/metrics/counters.ts';
import { SKETCH_EXACT_LIMIT, SKETCH_RELATIVE_ERROR } from '../../shared/metrics/distinct-sketch.ts';
import { decideVerdict } from '../../shared/verdicts/decide.ts';
import type { VerdictMetrics } from '../../shared/verdicts/rules.ts';
import { DEFAULT_TARGETS, MIN_ACTIVE_USERS_FOR_TREND } from '../../shared/verdicts/verdict.ts';

const WEEKS = ['2026-W44', '2026-W45', '2026-W46', '2026-W47'];

/** A week's counters with `runs` succeeded runs by `users` distinct users. */
const counted = (runs: number, users: number): Counters => {
  const c = emptyCounters();
  c.values.succeeded = BigInt(runs);
  for (let u = 0; u < users; u++) c.users.add(userToken(`user-${u}`));
  return c;
};

const trend = (users: readonly number[], eligible: number | null, runs = 100) =>
  adoptionOf(
    users.map((n, i) => ({ week: WEEKS[i] ?? '2026-W47', counters: counted(runs, n) })),
    eligible,
  );

// A healthy week for every other rule, so adoption alone decides.
const healthy: VerdictMetrics = {
  runs: 100,
  succeeded: 90,
  usageEvents: 100,
  unpricedUsageEvents: 0,
  costUsd: 10,
  costComplete: true,
  valueUsd: 100,
  valueCoverage: 1,
  valueReportedUsd: 100,
  roi: 9,
  reviews: 50,
  acceptanceRate: 0.9,
  acceptanceRateLow95: 0.8,
  acceptanceRateHigh95: 0.95,
  overrideRate: 0.1,
  overrideRateLow95: 0.05,
  overrideRateHigh95: 0.2,
};

describe('adoptionOf', () => {
  it('divides weekly active users by eligible users and runs by active users, with the four-week trend', () => {
    // Prepare, Act
    const adoption = trend([30, 32, 28, 25], 200);

    // Assess
    expect(adoption).toMatchObject({
      week: '2026-W47',
      activeUsers: 25,
      eligibleUsers: 200,
      adoptionRate: 0.125,
      runsPerActiveUser: 4,
      activeUsersExact: true,
      activeUsersRelativeError: 0,
    });
    expect(adoption.trend.map((w) => [w.week, w.activeUsers, w.adoptionRate])).toEqual([
      ['2026-W44', 30, 0.15],
      ['2026-W45', 32, 0.16],
      ['2026-W46', 28, 0.14],
      ['2026-W47', 25, 0.125],
    ]);
  });

  it('says unknown, never 0, without eligibleUsers or when runs carried no userId', () => {
    // Prepare, Act
    const noEligible = trend([10], null);
    const noUserIds = trend([0], 50);
    const idle = adoptionOf([{ week: '2026-W47', counters: emptyCounters() }], 50);

    // Assess
    expect(noEligible.adoptionRate).toBeNull();
    expect(noEligible.activeUsers).toBe(10);
    expect(noUserIds).toMatchObject({ activeUsers: null, adoptionRate: null, runsPerActiveUser: null });
    // No activity at all is a known zero: nobody used it.
    expect(idle).toMatchObject({ activeUsers: 0, adoptionRate: 0, runsPerActiveUser: null });
  });

  it("carries the sketch's error bound once the audience is too large to count exactly", () => {
    // Prepare, Act
    const large = trend([SKETCH_EXACT_LIMIT + 400], 1000);

    // Assess
    expect(large.activeUsersExact).toBe(false);
    expect(large.activeUsersRelativeError).toBeCloseTo(SKETCH_RELATIVE_ERROR, 4);
    expect(Math.abs((large.activeUsers ?? 0) - 496) / 496).toBeLessThan(4 * SKETCH_RELATIVE_ERROR);
  });
});

describe('decideVerdict: adoption', () => {
  const decide = (adoption: ReturnType<typeof trend>, targets = {}) =>
    decideVerdict({ current: healthy, previous: healthy, inCatalog: true, targets, adoption });

  it('makes a workflow used by too few of its eligible users "stalled", saying so in one sentence', () => {
    // Prepare, Act
    const result = decide(trend([25, 25, 25, 25], 200));

    // Assess
    expect(result.verdict).toBe('stalled');
    expect(result.reason).toBe(
      'Adoption is 13% (25 of 200 eligible users active this week), below the 25% target.',
    );
    expect(result.findings.map((f) => f.code)).toEqual(['adoption_below_target']);
  });

  it('makes falling weekly active users "stalled" against the mean of the three weeks before', () => {
    // Prepare, Act
    const falling = decide(trend([40, 40, 40, 30], 50));
    const steady = decide(trend([40, 40, 40, 31], 50));

    // Assess
    expect(falling.verdict).toBe('stalled');
    expect(falling.reason).toBe('Weekly active users fell 25% against the 3 weeks before (mean 40 → 30).');
    expect(steady.verdict).toBe('scale');
  });

  it('uses the catalog targets over the defaults', () => {
    // Prepare
    const adoption = trend([25, 25, 25, 25], 200);

    // Act
    const relaxed = decide(adoption, { minAdoptionRate: 0.1 });
    const strict = decide(trend([40, 40, 40, 36], 50), { maxAdoptionDrop: 0.1 });

    // Assess
    expect(DEFAULT_TARGETS.minAdoptionRate).toBe(0.25);
    expect(relaxed.verdict).toBe('scale');
    expect(relaxed.targets.minAdoptionRate).toEqual({ value: 0.1, source: 'catalog' });
    expect(strict.findings.map((f) => f.code)).toEqual(['adoption_falling']);
  });

  it('finds nothing it cannot know: no eligible users, no userIds, or too small an audience for a trend', () => {
    // Prepare, Act
    const results = [
      decide(trend([1, 1, 1, 1], null)),
      decide(trend([0, 0, 0, 0], 200)),
      decide(trend([MIN_ACTIVE_USERS_FOR_TREND - 1, 4, 4, 1], null)),
    ];

    // Assess
    for (const result of results) expect(result.findings).toEqual([]);
    expect(results.map((r) => r.verdict)).toEqual(['scale', 'scale', 'scale']);
  });

  it('lets a fix outrank low adoption, keeping the adoption finding', () => {
    // Prepare
    const overridden = { ...healthy, overrideRate: 0.5, overrideRateLow95: 0.4, overrideRateHigh95: 0.6 };

    // Act
    const result = decideVerdict({
      current: overridden,
      previous: healthy,
      inCatalog: true,
      adoption: trend([25, 25, 25, 25], 200),
    });

    // Assess
    expect(result.verdict).toBe('fix');
    expect(result.findings.map((f) => f.code)).toContain('adoption_below_target');
  });
});
