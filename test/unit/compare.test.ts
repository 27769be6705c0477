import { describe, expect, it } from 'vitest';
import { ComparisonMinimums, mayClaimComparison, withClaim } from '../../shared/metrics/compare.ts';
import { ComparisonInputError } from '../../shared/metrics/comparison-error.ts';
import { costDifference, measuredValue } from '../../shared/metrics/measured-value.ts';
import { momentsFromSums } from '../../shared/metrics/moments.ts';
import { newcombeDifference } from '../../shared/metrics/newcombe.ts';
import { welchDifference, welchFromMoments } from '../../shared/metrics/welch.ts';
import { MIN_REVIEWS_FOR_TRUST, MIN_RUNS_FOR_VERDICT } from '../../shared/verdicts/verdict.ts';

const sums = (values: readonly number[]) => ({
  count: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  sumOfSquares: values.reduce((a, b) => a + b * b, 0),
});

describe('comparison minimums', () => {
  it('hold proportions to the verdict rules’ own minimums and means to 30 values per arm', () => {
    // Act
    const minimums = { ...ComparisonMinimums };

    // Assess
    expect(minimums).toEqual({
      runsPerArm: MIN_RUNS_FOR_VERDICT,
      reviewsPerArm: MIN_REVIEWS_FOR_TRUST,
      valuesPerArm: 30,
    });
  });

  it('claim a comparison only when both arms reach the minimum', () => {
    // Prepare
    const m = ComparisonMinimums.valuesPerArm;

    // Act
    const claims = [
      mayClaimComparison('values', m, m),
      mayClaimComparison('values', 412, m - 1),
      mayClaimComparison('values', m - 1, 412),
      mayClaimComparison('reviews', ComparisonMinimums.reviewsPerArm, 500),
    ];

    // Assess
    expect(claims).toEqual([true, false, false, true]);
  });

  it('mark an interval below the minimum unclaimed but still return it, and keep null as null', () => {
    // Prepare
    const ai = { successes: 7, trials: 9 };
    const human = { successes: 30, trials: 48 };

    // Act
    const tooFew = withClaim(newcombeDifference(ai, human), 'runs', ai.trials, human.trials);
    const missing = withClaim(newcombeDifference(ai, { successes: 0, trials: 0 }), 'runs', 9, 0);

    // Assess
    expect(tooFew).toMatchObject({ method: 'newcombe', claimed: false, minimumPerArm: MIN_RUNS_FOR_VERDICT });
    expect(tooFew?.difference).toBeCloseTo(7 / 9 - 30 / 48, 15);
    expect(missing).toBeNull();
  });
});

describe('costDifference', () => {
  it('adds the AI cost difference to the labour value of the Welch duration interval', () => {
    // Prepare: an AI arm with model cost per run, a human-only arm with none; durations in ms.
    const aiMs = [62_000, 58_500, 71_250, 49_900, 66_100, 55_000, 80_400, 47_700];
    const humanMs = [300_000, 254_400, 402_700, 288_000, 333_300, 276_600];
    const rate = 48; // USD per hour
    const aiCostPerRun = 0.0375;
    // Independent reference: Welch on each run's full cost in USD (AI cost + labour), which the
    // interval must equal because a known constant shifts and a rate scales a t interval exactly.
    const costs = (ms: readonly number[], ai: number) => ms.map((d) => ai + (d * rate) / 3_600_000);
    const reference = welchDifference(sums(costs(aiMs, aiCostPerRun)), sums(costs(humanMs, 0)));

    // Act
    const result = costDifference({
      variantAiCostPerRunUsd: aiCostPerRun,
      baselineAiCostPerRunUsd: 0,
      durationMs: welchDifference(sums(aiMs), sums(humanMs)),
      laborCostPerHourUsd: rate,
    });

    // Assess
    expect(reference).not.toBeNull();
    expect(result?.difference).toBeCloseTo(reference?.difference ?? Number.NaN, 9);
    expect(result?.low95).toBeCloseTo(reference?.low95 ?? Number.NaN, 9);
    expect(result?.high95).toBeCloseTo(reference?.high95 ?? Number.NaN, 9);
  });

  it('is null whenever an input is unknown', () => {
    // Prepare
    const duration = welchFromMoments(
      momentsFromSums({ count: 3n, sum: 6n, sumOfSquares: 14n }, 1),
      momentsFromSums({ count: 3n, sum: 9n, sumOfSquares: 29n }, 1),
    );
    const known = {
      variantAiCostPerRunUsd: 0.01,
      baselineAiCostPerRunUsd: 0,
      durationMs: duration,
      laborCostPerHourUsd: 60,
    };

    // Act
    const results = [
      costDifference({ ...known, variantAiCostPerRunUsd: null }),
      costDifference({ ...known, baselineAiCostPerRunUsd: null }),
      costDifference({ ...known, durationMs: null }),
      costDifference({ ...known, laborCostPerHourUsd: null }),
    ];

    // Assess
    expect(costDifference(known)).not.toBeNull();
    expect(results).toEqual([null, null, null, null]);
  });

  it('refuses a negative labour rate, which would turn the interval inside out', () => {
    // Prepare
    const durationMs = { difference: -10, low95: -20, high95: 0, df: 9, method: 'welch' } as const;

    // Act + Assess
    expect(() =>
      costDifference({
        variantAiCostPerRunUsd: 0,
        baselineAiCostPerRunUsd: 0,
        durationMs,
        laborCostPerHourUsd: -1,
      }),
    ).toThrow(ComparisonInputError);
  });
});

describe('measuredValue', () => {
  it('is the saving per run against the baseline times the variant’s runs, bounds swapped', () => {
    // Prepare: the variant costs $3.95 less per run (95 % CI $2.95 to $4.95 less).
    const cost = { difference: -3.95, low95: -4.95, high95: -2.95 };

    // Act
    const value = measuredValue(cost, 412);

    // Assess
    expect(value?.runs).toBe(412);
    expect(value?.estimate).toBeCloseTo(3.95 * 412, 9);
    expect(value?.low95).toBeCloseTo(2.95 * 412, 9);
    expect(value?.high95).toBeCloseTo(4.95 * 412, 9);
  });

  it('is negative when the variant costs more than the baseline', () => {
    // Prepare
    const cost = { difference: 0.5, low95: 0.2, high95: 0.8 };

    // Act
    const value = measuredValue(cost, 10);

    // Assess
    expect(value?.estimate).toBeCloseTo(-5, 12);
    expect(value?.low95).toBeCloseTo(-8, 12);
    expect(value?.high95).toBeCloseTo(-2, 12);
  });

  it('is null without a cost difference and refuses a fractional run count', () => {
    // Act
    const missing = measuredValue(null, 412);

    // Assess
    expect(missing).toBeNull();
    expect(() => measuredValue({ difference: 0, low95: 0, high95: 0 }, 1.5)).toThrow(ComparisonInputError);
  });
});
