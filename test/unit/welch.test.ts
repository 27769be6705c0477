import quantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { ComparisonInputError } from '../../shared/metrics/comparison-error.ts';
import { type Moments, momentsFromNumberSums, momentsFromSums } from '../../shared/metrics/moments.ts';
import { tQuantile975, welchDifference, welchFromMoments } from '../../shared/metrics/welch.ts';

// R's `sleep` data (Cushny & Peebles 1905, as in Student 1908): extra hours of sleep under two drugs.
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
// `t.test(extra ~ group, data = sleep)` in R prints: df = 17.776,
// 95 percent confidence interval: -3.3654832  0.2054832 (mean of group 1 minus mean of group 2).
const R_SLEEP = { df: 17.776, low: -3.3654832, high: 0.2054832 };

// The counters' path: each value as an integer of 1/scale units, with exact BigInt sums.
const exactSums = (values: readonly number[], scale: number) => {
  const scaled = values.map((x) => BigInt(Math.round(x * scale)));
  return {
    count: BigInt(values.length),
    sum: scaled.reduce((a, b) => a + b, 0n),
    sumOfSquares: scaled.reduce((a, b) => a + b * b, 0n),
  };
};

// Independent reference: two-pass mean and variance on the raw values, then Welch's formulas as printed.
const twoPass = (values: readonly number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / (values.length - 1);
  return { n: values.length, mean, variance };
};
const referenceWelch = (x: readonly number[], y: readonly number[]) => {
  const a = twoPass(x);
  const b = twoPass(y);
  const se2 = a.variance / a.n + b.variance / b.n;
  const df = se2 ** 2 / ((a.variance / a.n) ** 2 / (a.n - 1) + (b.variance / b.n) ** 2 / (b.n - 1));
  const margin = quantile(0.975, df) * Math.sqrt(se2);
  return { difference: a.mean - b.mean, low: a.mean - b.mean - margin, high: a.mean - b.mean + margin, df };
};

describe('welchDifference', () => {
  it("reproduces R's t.test on the sleep data from exact scaled-integer sums", () => {
    // Prepare
    const variant = momentsFromSums(exactSums(group1, 10), 10);
    const baseline = momentsFromSums(exactSums(group2, 10), 10);

    // Act
    const result = welchFromMoments(variant, baseline);

    // Assess
    expect(result?.method).toBe('welch');
    expect(result?.difference).toBeCloseTo(0.75 - 2.33, 12);
    expect(result?.df).toBeCloseTo(R_SLEEP.df, 3);
    expect(result?.low95).toBeCloseTo(R_SLEEP.low, 6);
    expect(result?.high95).toBeCloseTo(R_SLEEP.high, 6);
  });

  it('agrees with a two-pass recomputation from the raw values', () => {
    // Prepare
    const durationsAi = [61_250, 58_900, 72_400, 49_800, 66_000, 55_125, 80_300, 47_750, 63_900];
    const durationsHuman = [310_000, 254_500, 402_750, 288_100, 333_333];
    const reference = referenceWelch(durationsAi, durationsHuman);

    // Act
    const result = welchFromMoments(
      momentsFromSums(exactSums(durationsAi, 1), 1),
      momentsFromSums(exactSums(durationsHuman, 1), 1),
    );

    // Assess
    expect(result?.difference).toBeCloseTo(reference.difference, 8);
    expect(result?.df).toBeCloseTo(reference.df, 10);
    expect(result?.low95).toBeCloseTo(reference.low, 6);
    expect(result?.high95).toBeCloseTo(reference.high, 6);
  });

  it('takes number sums too, and swapping the arms negates the interval', () => {
    // Prepare
    const sums = (values: readonly number[]) => ({
      count: values.length,
      sum: values.reduce((a, b) => a + b, 0),
      sumOfSquares: values.reduce((a, b) => a + b * b, 0),
    });

    // Act
    const forward = welchDifference(sums(group1), sums(group2));
    const swapped = welchDifference(sums(group2), sums(group1));

    // Assess
    expect(forward?.low95).toBeCloseTo(R_SLEEP.low, 6);
    expect(forward?.high95).toBeCloseTo(R_SLEEP.high, 6);
    expect(swapped?.low95).toBeCloseTo(-(forward?.high95 ?? 0), 12);
    expect(swapped?.high95).toBeCloseTo(-(forward?.low95 ?? 0), 12);
    expect(swapped?.df).toBeCloseTo(forward?.df ?? 0, 12);
  });

  it('contains the difference and narrows with more data of the same spread', () => {
    // Prepare
    const arm = (count: number, mean: number, variance: number): Moments => ({
      count,
      mean,
      variance,
      stdDev: Math.sqrt(variance),
    });

    // Act
    const few = welchFromMoments(arm(12, 100, 400), arm(8, 130, 900));
    const many = welchFromMoments(arm(1200, 100, 400), arm(800, 130, 900));

    // Assess
    for (const r of [few, many]) {
      expect(r?.low95).toBeLessThan(r?.difference ?? Number.NaN);
      expect(r?.high95).toBeGreaterThan(r?.difference ?? Number.NaN);
    }
    const width = (r: typeof few) => (r ? r.high95 - r.low95 : Number.NaN);
    expect(width(many)).toBeLessThan(width(few) / 5);
  });

  it('answers null when either arm has fewer than 2 values', () => {
    // Prepare
    const one = { count: 1, sum: 5, sumOfSquares: 25 };
    const none = { count: 0, sum: 0, sumOfSquares: 0 };
    const three = { count: 3, sum: 6, sumOfSquares: 14 };

    // Act
    const results = [welchDifference(one, three), welchDifference(three, one), welchDifference(three, none)];

    // Assess
    expect(results).toEqual([null, null, null]);
  });

  it('gives the exact difference with df null when neither arm varies, never NaN or Infinity', () => {
    // Prepare
    const constantA = { count: 4, sum: 40, sumOfSquares: 400 };
    const constantB = { count: 7, sum: 21, sumOfSquares: 63 };

    // Act
    const result = welchDifference(constantA, constantB);

    // Assess
    expect(result).toEqual({ difference: 7, low95: 7, high95: 7, df: null, method: 'welch' });
  });

  it("uses the varying arm's n - 1 degrees of freedom when the other arm is constant", () => {
    // Prepare
    const constant = { count: 4, sum: 40, sumOfSquares: 400 };
    const varying = { count: 6, sum: 21, sumOfSquares: 91 };

    // Act
    const result = welchDifference(varying, constant);

    // Assess
    expect(result?.df).toBeCloseTo(5, 12);
  });

  it('stays finite for spreads so small that their squares underflow', () => {
    // Prepare
    const tiny = (mean: number): Moments => ({ count: 5, mean, variance: 1e-200, stdDev: 1e-100 });

    // Act
    const result = welchFromMoments(tiny(1), tiny(2));

    // Assess
    expect(result?.df).toBeCloseTo(8, 10);
    expect(Number.isFinite(result?.low95)).toBe(true);
    expect(Number.isFinite(result?.high95)).toBe(true);
  });
});

describe('momentsFromSums', () => {
  it('keeps a tiny spread around a huge mean exact where float sums cancel it away', () => {
    // Prepare: durations of about 11.6 days in ms, varying by a few ms.
    const offsets = Array.from({ length: 1001 }, (_, i) => (i % 7) - 3);
    const values = offsets.map((d) => 1_000_000_000_000 + d);
    const reference = twoPass(offsets); // shifting by a constant leaves the variance unchanged
    const exact = exactSums(values, 1);

    // Act
    const moments = momentsFromSums(exact, 1);
    const fromFloats = momentsFromNumberSums({
      count: values.length,
      sum: Number(exact.sum),
      sumOfSquares: Number(exact.sumOfSquares),
    });

    // Assess
    expect(moments?.mean).toBe(1_000_000_000_000 + reference.mean);
    expect(moments?.variance).toBeCloseTo(reference.variance, 12);
    expect(moments?.stdDev).toBeCloseTo(Math.sqrt(reference.variance), 12);
    expect(Math.abs((fromFloats?.variance ?? 0) - reference.variance)).toBeGreaterThan(1);
  });

  it('reports mean with null spread for one value and null for none', () => {
    // Prepare
    const one = { count: 1n, sum: 2500n, sumOfSquares: 6_250_000n };
    const none = { count: 0n, sum: 0n, sumOfSquares: 0n };

    // Act
    const results = [momentsFromSums(one, 1000), momentsFromSums(none, 1000)];

    // Assess
    expect(results).toEqual([{ count: 1, mean: 2.5, variance: null, stdDev: null }, null]);
  });

  it('clamps an impossible negative variance from inconsistent sums to 0', () => {
    // Prepare
    const inconsistent = { count: 3n, sum: 30n, sumOfSquares: 10n };

    // Act
    const moments = momentsFromSums(inconsistent, 1);

    // Assess
    expect(moments?.variance).toBe(0);
    expect(moments?.stdDev).toBe(0);
  });

  it('refuses a scale or count that is not a positive integer', () => {
    // Prepare
    const sums = { count: 3n, sum: 6n, sumOfSquares: 14n };

    // Act + Assess
    expect(() => momentsFromSums(sums, 0)).toThrow(ComparisonInputError);
    expect(() => momentsFromSums(sums, 0.5)).toThrow(ComparisonInputError);
    expect(() => momentsFromSums({ ...sums, count: -1n }, 1)).toThrow(ComparisonInputError);
  });
});

describe('tQuantile975', () => {
  it("is stdlib's Student t quantile: 2.228139 at 10 df, the normal 1.959964 at huge df", () => {
    // Prepare
    const dfs = [1, 10, 17.776, 1e20];

    // Act
    const quantiles = dfs.map(tQuantile975);

    // Assess: 12.706205 and 2.228139 are the printed table values for 1 and 10 df.
    expect(quantiles[0]).toBeCloseTo(12.706205, 6);
    expect(quantiles[1]).toBeCloseTo(2.228139, 6);
    expect(quantiles[2]).toBe(quantile(0.975, 17.776));
    expect(quantiles[3]).toBeCloseTo(1.959964, 6);
  });

  it('refuses degrees of freedom that are not positive', () => {
    // Act + Assess
    expect(() => tQuantile975(0)).toThrow(ComparisonInputError);
    expect(() => tQuantile975(Number.NaN)).toThrow(ComparisonInputError);
  });
});
