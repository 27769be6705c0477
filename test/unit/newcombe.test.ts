import { describe, expect, it } from 'vitest';
import { ComparisonInputError } from '../../shared/metrics/comparison-error.ts';
import { newcombeDifference } from '../../shared/metrics/newcombe.ts';

// Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score), published to
// 4 decimals. The paper uses z = 1.959964; Yardstick uses 1.96 everywhere, which moves a bound by at
// most 6e-5 on these cases, so bounds are held to 1e-4 (one unit in the published last place).
const published = [
  { name: '(a) 56/70 vs 48/80', variant: [56, 70], baseline: [48, 80], low: 0.0524, high: 0.3339 },
  { name: '(b) 9/10 vs 3/10', variant: [9, 10], baseline: [3, 10], low: 0.1705, high: 0.809 },
  { name: '(c) 6/7 vs 2/7', variant: [6, 7], baseline: [2, 7], low: 0.0582, high: 0.8062 },
  { name: '(d) 5/56 vs 0/29', variant: [5, 56], baseline: [0, 29], low: -0.0381, high: 0.1926 },
  { name: '(e) 0/10 vs 0/20', variant: [0, 10], baseline: [0, 20], low: -0.1611, high: 0.2775 },
  { name: '(f) 0/10 vs 0/10', variant: [0, 10], baseline: [0, 10], low: -0.2775, high: 0.2775 },
  { name: '(g) 10/10 vs 0/20', variant: [10, 10], baseline: [0, 20], low: 0.6791, high: 1 },
  { name: '(h) 10/10 vs 0/10', variant: [10, 10], baseline: [0, 10], low: 0.6075, high: 1 },
] as const;

const arm = ([successes, trials]: readonly [number, number]) => ({ successes, trials });

describe('newcombeDifference', () => {
  it.each(published)('reproduces Newcombe 1998 Table II, method 10: $name', (example) => {
    // Prepare
    const variant = arm(example.variant);
    const baseline = arm(example.baseline);

    // Act
    const result = newcombeDifference(variant, baseline);

    // Assess
    expect(result?.method).toBe('newcombe');
    expect(result?.difference).toBeCloseTo(
      variant.successes / variant.trials - baseline.successes / baseline.trials,
      15,
    );
    expect(Math.abs((result?.low95 ?? Number.NaN) - example.low)).toBeLessThan(1e-4);
    expect(Math.abs((result?.high95 ?? Number.NaN) - example.high)).toBeLessThan(1e-4);
  });

  it('takes the difference as variant minus baseline, so swapping the arms negates the interval', () => {
    // Prepare
    const ai = { successes: 41, trials: 57 };
    const human = { successes: 12, trials: 23 };

    // Act
    const forward = newcombeDifference(ai, human);
    const swapped = newcombeDifference(human, ai);

    // Assess
    expect(forward?.difference).toBeGreaterThan(0);
    expect(swapped?.difference).toBeCloseTo(-(forward?.difference ?? 0), 15);
    expect(swapped?.low95).toBeCloseTo(-(forward?.high95 ?? 0), 15);
    expect(swapped?.high95).toBeCloseTo(-(forward?.low95 ?? 0), 15);
  });

  it('contains the observed difference and stays within [-1, 1] for every small table', () => {
    // Prepare
    const tables: [number, number, number, number][] = [];
    for (const n1 of [1, 2, 5, 9])
      for (const n2 of [1, 3, 8])
        for (let s1 = 0; s1 <= n1; s1++) for (let s2 = 0; s2 <= n2; s2++) tables.push([s1, n1, s2, n2]);

    // Act
    const results = tables.map(([s1, n1, s2, n2]) =>
      newcombeDifference({ successes: s1, trials: n1 }, { successes: s2, trials: n2 }),
    );

    // Assess
    expect(results).toHaveLength(tables.length);
    for (const r of results) {
      expect(r).not.toBeNull();
      if (r === null) continue;
      expect(r.low95).toBeLessThanOrEqual(r.difference);
      expect(r.high95).toBeGreaterThanOrEqual(r.difference);
      expect(r.low95).toBeGreaterThanOrEqual(-1);
      expect(r.high95).toBeLessThanOrEqual(1);
    }
  });

  it('narrows as both arms get more trials at the same rates', () => {
    // Prepare
    const small = [
      { successes: 8, trials: 10 },
      { successes: 6, trials: 10 },
    ] as const;
    const large = [
      { successes: 800, trials: 1000 },
      { successes: 600, trials: 1000 },
    ] as const;

    // Act
    const a = newcombeDifference(...small);
    const b = newcombeDifference(...large);

    // Assess
    const width = (r: typeof a) => (r ? r.high95 - r.low95 : Number.NaN);
    expect(width(b)).toBeLessThan(width(a) / 5);
  });

  it('answers null when either arm has no trials: there is no rate to compare', () => {
    // Prepare
    const some = { successes: 3, trials: 4 };
    const none = { successes: 0, trials: 0 };

    // Act
    const results = [newcombeDifference(none, some), newcombeDifference(some, none)];

    // Assess
    expect(results).toEqual([null, null]);
  });

  it('refuses counts no counter can hold rather than returning a misleading interval', () => {
    // Prepare
    const calls = [
      () => newcombeDifference({ successes: 11, trials: 10 }, { successes: 1, trials: 2 }),
      () => newcombeDifference({ successes: 1, trials: 2 }, { successes: -1, trials: 2 }),
      () => newcombeDifference({ successes: 0.5, trials: 2 }, { successes: 1, trials: 2 }),
    ];

    // Act + Assess
    for (const call of calls) expect(call).toThrow(ComparisonInputError);
  });
});
