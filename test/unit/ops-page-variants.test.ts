import { describe, expect, it } from 'vitest';
import type { WorkflowVariantsResponse } from '../../infra/local/ops-page/src/api.ts';
import { barGeometry } from '../../infra/local/ops-page/src/bar-geometry.ts';
import { armViews, showsVariants } from '../../infra/local/ops-page/src/variant-arms.ts';
import { differenceRows } from '../../infra/local/ops-page/src/variant-differences.ts';
import {
  formatMinutesDifference,
  formatMinutesInterval,
  formatScoreDifference,
  formatScoreInterval,
  formatUsdDifference,
} from '../../shared/format/intervals.ts';
import type { VariantComparison } from '../../shared/metrics/variant-comparison.ts';
import type { VariantMetrics } from '../../shared/metrics/variant-metrics.ts';

// A variant's metrics with the figures the panel reads; the rest does not matter here.
const metrics = (m: Partial<VariantMetrics>): VariantMetrics =>
  ({
    runs: 0,
    succeeded: 0,
    usageEvents: 0,
    reviews: 0,
    accepted: 0,
    edited: 0,
    rejected: 0,
    successRate: null,
    acceptanceRate: null,
    overrideRate: null,
    durationMsMean: null,
    durationCount: 0,
    qualityScored: 0,
    valueUsdReported: 0,
    aiCostPerRunUsd: null,
    laborCostPerRunUsd: null,
    ...m,
  }) as VariantMetrics;

const ai = metrics({
  runs: 40,
  succeeded: 36,
  usageEvents: 40,
  reviews: 40,
  accepted: 30,
  edited: 10,
  successRate: 0.9,
  acceptanceRate: 0.75,
  overrideRate: 0.25,
  durationMsMean: 240_000,
  durationCount: 40,
  aiCostPerRunUsd: 0.0125,
  laborCostPerRunUsd: 4,
});
const human = metrics({
  runs: 12,
  succeeded: 11,
  successRate: 11 / 12,
  durationMsMean: 660_000,
  durationCount: 12,
  aiCostPerRunUsd: 0,
  laborCostPerRunUsd: 11,
});

const response = (variants: Record<string, VariantMetrics>, comparisons: VariantComparison[] = []) =>
  ({
    workflowId: 'claims-check',
    baselineVariant: 'human',
    assignment: 'randomized',
    laborCostPerHourUsd: 60,
    variants: Object.entries(variants).map(([variant, m]) => ({ variant, metrics: m })),
    comparisons,
  }) as unknown as WorkflowVariantsResponse;

const comparison: VariantComparison = {
  variant: 'ai',
  baseline: 'human',
  assignment: 'randomized',
  possiblyConfounded: false,
  successRate: {
    difference: -0.017,
    low95: -0.19,
    high95: 0.24,
    method: 'newcombe',
    claimed: true,
    minimumPerArm: 10,
  },
  acceptanceRate: null,
  overrideRate: null,
  durationMs: {
    difference: -420_000,
    low95: -492_000,
    high95: -342_000,
    df: 14.2,
    method: 'welch',
    claimed: false,
    minimumPerArm: 30,
  },
  qualityScore: null,
  valueUsdPerRun: null,
  costPerRunUsd: { difference: -6.99, low95: -8.2, high95: -5.69, claimed: false, minimumPerArm: 30 },
  measuredValueUsd: {
    estimate: 279.6,
    low95: 227.6,
    high95: 328,
    runs: 40,
    claimed: false,
    minimumPerArm: 30,
  },
};

describe('the ops page’s variants panel, without a browser', () => {
  it('shows the panel only for a workflow with more than one variant or a comparison', () => {
    // Act
    const alone = showsVariants(response({ default: ai }));
    const two = showsVariants(response({ ai, human }));

    // Assess
    expect({ alone, two }).toEqual({ alone: false, two: true });
  });

  it('puts the baseline first and shows unknown, never 0 %, for a rate with nothing to measure', () => {
    // Act
    const [first, second] = armViews(response({ ai, human }));

    // Assess
    expect(first).toMatchObject({ variant: 'human', baseline: true, humanOnly: true });
    expect(first?.figures).toMatchObject({ runs: '12', acceptanceRate: 'unknown', aiCost: '$0.00' });
    expect(first?.figures.successRate).toMatch(/^92% \(95% CI \d+–\d+%\)$/);
    expect(second).toMatchObject({ variant: 'ai', baseline: false, humanOnly: false });
    expect(second?.figures).toMatchObject({ duration: '4.0 min', laborCost: '$4.00', aiCost: '$0.01' });
  });

  it('labels an unclaimed difference with its sample against the minimum, and says why a null is unknown', () => {
    // Act
    const rows = Object.fromEntries(
      differenceRows(comparison, { variant: ai, baseline: human, laborCostPerHourUsd: 60 }).map((r) => [
        r.key,
        r,
      ]),
    );

    // Assess
    expect(rows.successRate).toMatchObject({
      state: 'claimed',
      text: '-2 points (95% CI -19 to 24 points)',
      note: null,
    });
    expect(rows.durationMs).toMatchObject({
      state: 'too-few',
      text: '-7.0 min (95% CI -8.2 to -5.7 min)',
      note: 'too few to tell (12 of 30 needed)',
      interval: { estimate: -420_000, low95: -492_000, high95: -342_000 },
    });
    expect(rows.measuredValueUsd).toMatchObject({
      text: '$279.60 over 40 runs (95% CI $227.60–$328.00)',
      interval: { estimate: 279.6 },
    });
    expect(rows.acceptanceRate).toMatchObject({
      state: 'unknown',
      text: 'unknown',
      note: 'no reviews for human',
    });
    expect(rows.qualityScore?.note).toBe('fewer than 2 quality scores for ai and human');
  });

  it('says a cost is unknown for want of a labour rate when both arms have their durations', () => {
    // Prepare
    const noRate = { ...comparison, costPerRunUsd: null, measuredValueUsd: null };

    // Act
    const rows = differenceRows(noRate, { variant: ai, baseline: human, laborCostPerHourUsd: null });

    // Assess
    expect(rows.find((r) => r.key === 'costPerRunUsd')?.note).toBe(
      'the catalog sets no labour cost per hour',
    );
  });

  it('shows short durations in seconds, where minutes would read 0.0 min', () => {
    // Prepare
    const quick = metrics({ ...ai, durationMsMean: 4_760 });
    const close = {
      ...comparison,
      durationMs: { ...comparison.durationMs, difference: 167, low95: -141, high95: 474, claimed: true },
    } as VariantComparison;

    // Act
    const [arm] = armViews(response({ quick }));
    const row = differenceRows(close, { variant: ai, baseline: human, laborCostPerHourUsd: 60 }).find(
      (r) => r.key === 'durationMs',
    );

    // Assess
    expect(arm?.figures.duration).toBe('4.8 s');
    expect(row?.text).toBe('+0.2 s (95% CI -0.1 to 0.5 s)');
  });

  it('draws each interval on a scale centred on zero that holds both ends', () => {
    // Act
    const below = barGeometry({ estimate: -4, low95: -5, high95: -3 });
    const across = barGeometry({ estimate: 1, low95: -1, high95: 2 });
    const nothing = barGeometry({ estimate: 0, low95: 0, high95: 0 });

    // Assess
    expect(below).toEqual({ zero: 50, low: 5, high: 23, estimate: 14 });
    expect(across.low).toBeLessThan(across.zero);
    expect(across.high).toBe(95);
    expect(nothing).toEqual({ zero: 50, low: 50, high: 50, estimate: 50 });
  });

  it('signs differences, and never writes -0.0 or +0.00 for one that rounds to nothing', () => {
    // Assess
    expect(formatMinutesDifference(66_000)).toBe('+1.1 min');
    expect(formatMinutesDifference(-264_000)).toBe('-4.4 min');
    expect(formatMinutesDifference(-1_000)).toBe('0.0 min');
    expect(formatMinutesInterval(-3_000, 2_000)).toBe('-0.1 to 0.0 min');
    expect(formatUsdDifference(0.5)).toBe('+$0.50');
    expect(formatUsdDifference(-3.95)).toBe('-$3.95');
    expect(formatScoreDifference(0.046)).toBe('+0.05');
    expect(formatScoreDifference(0.001)).toBe('0.00');
    expect(formatScoreInterval(-0.02, 0.09)).toBe('-0.02 to 0.09');
  });
});
