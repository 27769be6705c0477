import { describe, expect, it } from 'vitest';
import type { WorkflowTargets } from '../../shared/catalog/schema.ts';
import { decideVerdict, type VerdictInput } from '../../shared/verdicts/decide.ts';
import type { MeasuredNetValue } from '../../shared/verdicts/measured.ts';
import type { VerdictMetrics } from '../../shared/verdicts/rules.ts';
import {
  DEFAULT_TARGETS,
  MIN_REVIEWS_FOR_TRUST,
  MIN_RUNS_FOR_VERDICT,
} from '../../shared/verdicts/verdict.ts';

// A healthy week: clears every default target with room to spare.
const week = (overrides: Partial<VerdictMetrics> = {}): VerdictMetrics => ({
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
  ...overrides,
});

const decide = (
  current: Partial<VerdictMetrics>,
  options: {
    previous?: Partial<VerdictMetrics>;
    targets?: WorkflowTargets;
    valuePerSuccessUsd?: number;
    inCatalog?: boolean;
    measured?: MeasuredNetValue;
  } = {},
) => {
  const input: VerdictInput = {
    current: week(current),
    previous: week(options.previous),
    inCatalog: options.inCatalog ?? true,
    ...(options.targets ? { targets: options.targets } : {}),
    ...(options.valuePerSuccessUsd !== undefined ? { valuePerSuccessUsd: options.valuePerSuccessUsd } : {}),
    ...(options.measured ? { measured: options.measured } : {}),
  };
  return decideVerdict(input);
};

describe('decideVerdict: minimum sample', () => {
  it(`gives only "not enough data" below ${MIN_RUNS_FOR_VERDICT} runs, whatever else is wrong`, () => {
    // Prepare
    const awful = { valueReportedUsd: 0, valueUsd: 0, roi: -1, overrideRate: 0.9, overrideRateLow95: 0.6 };

    // Act
    const below = decide({ ...awful, runs: MIN_RUNS_FOR_VERDICT - 1 });
    const at = decide({ runs: MIN_RUNS_FOR_VERDICT }, { previous: { runs: MIN_RUNS_FOR_VERDICT } });

    // Assess
    expect(below.verdict).toBe('not-enough-data');
    expect(below.reason).toBe('Only 9 runs this week, below the 10 needed for a verdict.');
    expect(at.verdict).toBe('scale');
  });

  it('says when usage arrived without any outcome events', () => {
    // Prepare, Act
    const result = decide({ runs: 0, succeeded: 0, usageEvents: 457 });

    // Assess
    expect(result.reason).toBe(
      'No runs this week, below the 10 needed for a verdict; 457 usage events arrived without any outcome events.',
    );
  });
});

describe('decideVerdict: unproven', () => {
  it('is unproven without reported value or a catalog assumption, and not with either', () => {
    // Prepare
    const noValue = { valueReportedUsd: 0, valueUsd: null, roi: null };

    // Act
    const none = decide(noValue);
    const assumed = decide({ ...noValue, valueUsd: 90, roi: 8 }, { valuePerSuccessUsd: 1 });
    const oneCent = decide({ valueReportedUsd: 0.01, valueUsd: 0.01, roi: -0.999 });

    // Assess
    expect(none.verdict).toBe('unproven');
    expect(none.reason).toBe(
      'No value data: none of its 90 successes reported valueUsd and the catalog sets no valuePerSuccessUsd.',
    );
    expect(assumed.verdict).toBe('scale');
    expect(oneCent.verdict).not.toBe('unproven');
  });

  it('judges successes that reported a value of $0 on that known $0, not as missing value data', () => {
    // Prepare: every success reported valueUsd 0, so value is known: $0 against $10 of cost
    const zero = { valueReportedUsd: 0, valueUsd: 0, valueCoverage: 1, roi: -1 };

    // Act
    const result = decide(zero, { previous: zero });

    // Assess
    expect(result.findings.map((f) => f.code)).not.toContain('no_value_data');
    expect(result.verdict).toBe('stop');
  });

  it('names a workflow outside the catalog and adds falling usage to the same sentence', () => {
    // Prepare, Act
    const result = decide(
      { valueReportedUsd: 0, valueUsd: null, runs: 10 },
      { inCatalog: false, previous: { runs: 14 } },
    );

    // Assess
    expect(result.verdict).toBe('unproven');
    expect(result.reason).toBe(
      'No value data: none of its 90 successes reported valueUsd and it is not in the catalog; also, usage fell 29% week over week (14 → 10 runs).',
    );
  });

  it('is unproven when a single usage event has no price, because ROI would then be a guess', () => {
    // Prepare, Act
    const one = decide({ unpricedUsageEvents: 1 });
    const none = decide({ unpricedUsageEvents: 0 });

    // Assess
    expect(one.verdict).toBe('unproven');
    expect(one.reason).toMatch(/^Cost is incomplete: 1 of 100 usage events used a model with no price/);
    expect(none.verdict).toBe('scale');
  });

  it('is unproven without usage events, since there is no cost to set value against', () => {
    // Prepare, Act
    const result = decide({ usageEvents: 0, costUsd: 0, roi: null });

    // Assess
    expect(result.verdict).toBe('unproven');
    expect(result.findings.map((f) => f.code)).toEqual(['no_cost_data']);
  });

  it('outranks fix: without value data nobody can tell whether fixing is worth it', () => {
    // Prepare, Act
    const result = decide({
      valueReportedUsd: 0,
      valueUsd: null,
      roi: null,
      overrideRate: 0.6,
      overrideRateLow95: 0.5,
    });

    // Assess
    expect(result.verdict).toBe('unproven');
    expect(result.findings.map((f) => f.code)).toContain('override_above_target');
    expect(result.findings.map((f) => f.code)).not.toContain('roi_below_target');
  });
});

describe('decideVerdict: stop', () => {
  it('stops when value is below cost this week and last week, at any loss', () => {
    // Prepare, Act
    const twice = decide({ roi: -0.0001 }, { previous: { roi: -0.0001 } });
    const lastWeekEven = decide({ roi: -0.5 }, { previous: { roi: 0 } });
    const lastWeekTooSmall = decide(
      { roi: -0.5 },
      { previous: { roi: -0.5, runs: MIN_RUNS_FOR_VERDICT - 1 } },
    );

    // Assess
    expect(twice.verdict).toBe('stop');
    expect(twice.reason).toMatch(/^Value did not cover cost two weeks running: ROI -0× this week/);
    expect(lastWeekEven.verdict).toBe('fix');
    expect(lastWeekEven.reason).toBe('ROI -0.5× ($100.00 value for $10.00 cost) is below the 0× target.');
    expect(lastWeekTooSmall.verdict).toBe('fix');
  });
});

describe('decideVerdict: fix', () => {
  it('fixes only when the override rate is above target even at its 95% lower bound', () => {
    // Prepare
    const options = { targets: { maxOverrideRate: 0.2 }, previous: { overrideRate: 0.25 } };

    // Act
    const atTarget = decide({ overrideRate: 0.26, overrideRateLow95: 0.2 }, options);
    const aboveTarget = decide(
      { overrideRate: 0.26, overrideRateLow95: 0.2001, overrideRateHigh95: 0.31 },
      options,
    );

    // Assess
    expect(atTarget.verdict).toBe('watch');
    expect(atTarget.reason).toContain('is above the 20% target, though not conclusively');
    expect(aboveTarget.verdict).toBe('fix');
    expect(aboveTarget.reason).toBe('Override rate 26% (95% CI 20–31%) is above the 20% target.');
  });

  it(`applies no trust rule below ${MIN_REVIEWS_FOR_TRUST} reviews`, () => {
    // Prepare, Act
    const result = decide({ reviews: MIN_REVIEWS_FOR_TRUST - 1, overrideRate: 0.8, overrideRateLow95: 0.5 });

    // Assess
    expect(result.verdict).toBe('watch');
    expect(result.reason).toBe(
      'ROI 9× ($100.00 value for $10.00 cost), but only 9 human reviews this week, too few to show trust (10 needed).',
    );
  });

  it('fixes a rising override rate from 5 points up, when the rise clears last week at 95%', () => {
    // Prepare
    const previous = { overrideRate: 0.1 };

    // Act
    const fivePoints = decide({ overrideRate: 0.15, overrideRateLow95: 0.1001 }, { previous });
    const justUnder = decide({ overrideRate: 0.1499, overrideRateLow95: 0.11 }, { previous });
    const withinNoise = decide({ overrideRate: 0.2, overrideRateLow95: 0.1 }, { previous });
    const fewLastWeek = decide(
      { overrideRate: 0.2, overrideRateLow95: 0.15 },
      { previous: { ...previous, reviews: 9 } },
    );

    // Assess
    expect(fivePoints.verdict).toBe('fix');
    expect(fivePoints.reason).toBe('Override rate rose from 10% to 15% (95% CI 10–20%) week over week.');
    expect(justUnder.verdict).toBe('scale');
    expect(withinNoise.verdict).toBe('scale');
    expect(fewLastWeek.verdict).toBe('scale');
  });

  it('says both in one sentence when overrides are above target and rising', () => {
    // Prepare, Act
    const result = decide(
      { overrideRate: 0.2536, overrideRateLow95: 0.206, overrideRateHigh95: 0.308 },
      { previous: { overrideRate: 0.1495 }, targets: { maxOverrideRate: 0.2 } },
    );

    // Assess
    expect(result.verdict).toBe('fix');
    expect(result.reason).toBe(
      'Override rate 25% (95% CI 21–31%) is above the 20% target and up from 15% last week.',
    );
  });

  it('fixes acceptance whose 95% upper bound is below the target', () => {
    // Prepare
    const below = { acceptanceRate: 0.6, acceptanceRateLow95: 0.5, acceptanceRateHigh95: 0.6999 };

    // Act
    const belowDefault = decide(below);
    const atDefault = decide({ ...below, acceptanceRateHigh95: DEFAULT_TARGETS.minAcceptanceRate });

    // Assess
    expect(belowDefault.verdict).toBe('fix');
    expect(belowDefault.reason).toBe('Acceptance 60% (95% CI 50–70%) is below the 70% target.');
    expect(atDefault.verdict).toBe('watch');
  });

  it('fixes an ROI below the catalog target, and scales at the target', () => {
    // Prepare
    const targets = { minRoi: 2 };

    // Act
    const below = decide({ roi: 1.99 }, { targets });
    const at = decide({ roi: 2 }, { targets });

    // Assess
    expect(below.verdict).toBe('fix');
    expect(below.reason).toBe('ROI 1.99× ($100.00 value for $10.00 cost) is below the 2× target.');
    expect(at.verdict).toBe('scale');
  });
});

describe('decideVerdict: stalled', () => {
  it('is stalled when runs fall by a quarter or more week over week', () => {
    // Prepare, Act
    const quarter = decide({ runs: 75 }, { previous: { runs: 100 } });
    const less = decide({ runs: 76 }, { previous: { runs: 100 } });
    const smallBase = decide({ runs: 10 }, { previous: { runs: MIN_RUNS_FOR_VERDICT - 1 } });

    // Assess
    expect(quarter.verdict).toBe('stalled');
    expect(quarter.reason).toBe('Usage fell 25% week over week (100 → 75 runs).');
    expect(less.verdict).toBe('scale');
    expect(smallBase.verdict).toBe('scale');
  });

  it('is stalled below the catalog weekly-runs target, which has no default', () => {
    // Prepare, Act
    const options = { targets: { minWeeklyRuns: 20 }, previous: { runs: 20 } };
    const below = decide({ runs: 19 }, options);
    const at = decide({ runs: 20 }, options);
    const noTarget = decide({ runs: 19 }, { previous: { runs: 20 } });

    // Assess
    expect(below.verdict).toBe('stalled');
    expect(below.reason).toBe('Only 19 runs this week, below the 20-run weekly target.');
    expect(at.verdict).toBe('scale');
    expect(noTarget.verdict).toBe('scale');
  });
});

describe('decideVerdict: scale and watch', () => {
  it('scales when the acceptance lower bound reaches the target, and watches just below it', () => {
    // Prepare
    const targets = { minAcceptanceRate: 0.8 };

    // Act
    const at = decide({ acceptanceRateLow95: 0.8 }, { targets });
    const below = decide({ acceptanceRateLow95: 0.7999 }, { targets });

    // Assess
    expect(at.verdict).toBe('scale');
    expect(at.reason).toBe(
      'ROI 9× ($100.00 value for $10.00 cost) and acceptance 90% (95% CI 80–95%) clears the 80% target even at its 95% lower bound.',
    );
    expect(below.verdict).toBe('watch');
    expect(below.reason).toContain('does not yet clear the 80% target at its 95% lower bound');
  });

  it('scales with the override rate at its target and watches above it', () => {
    // Prepare
    const targets = { maxOverrideRate: 0.1 };

    // Act
    const at = decide({ overrideRate: 0.1 }, { targets });
    const above = decide({ overrideRate: 0.1001, overrideRateLow95: 0.05 }, { targets });

    // Assess
    expect(at.verdict).toBe('scale');
    expect(above.verdict).toBe('watch');
  });

  it('uses the documented defaults where the catalog sets no target, and says which applied', () => {
    // Prepare, Act
    const result = decide({}, { targets: { maxOverrideRate: 0.2 } });

    // Assess
    expect(result.targets).toEqual({
      maxOverrideRate: { value: 0.2, source: 'catalog' },
      minAcceptanceRate: { value: 0.7, source: 'default' },
      minRoi: { value: 0, source: 'default' },
      minAdoptionRate: { value: 0.25, source: 'default' },
      maxAdoptionDrop: { value: 0.25, source: 'default' },
      minWeeklyRuns: null,
    });
  });
});

describe('decideVerdict: reasons', () => {
  it('gives every verdict exactly one sentence', () => {
    // Prepare
    const cases = [
      decide({ runs: 3 }),
      decide({ valueReportedUsd: 0, valueUsd: null }, { previous: { runs: 200 } }),
      decide({ roi: -1 }, { previous: { roi: -1 } }),
      decide({ overrideRateLow95: 0.4, overrideRate: 0.5 }, { previous: { overrideRate: 0.1 } }),
      decide({ runs: 50 }, { previous: { runs: 100 }, targets: { minWeeklyRuns: 60 } }),
      decide({}),
      decide({ reviews: 2 }),
    ];

    // Act
    const verdicts = cases.map((c) => c.verdict);

    // Assess
    expect(verdicts).toEqual(['not-enough-data', 'unproven', 'stop', 'fix', 'stalled', 'scale', 'watch']);
    for (const { reason } of cases) expect(reason).toMatch(/^[A-Z][\s\S]*[^.]\.$/);
    for (const { reason } of cases) expect(reason.replace(/\d\.\d/g, '')).not.toMatch(/\.\s/);
  });
});

describe('decideVerdict: on measured value', () => {
  it('judges ROI on a claimed measured value instead of the assumption, and says so', () => {
    // Prepare: the assumption says $100 of value for $10 of cost (ROI 9×); measured says $2,900 net
    const measured = { netValueUsd: 2_900, low95: 2_450, high95: 3_360 };

    // Act
    const onAssumption = decide({});
    const onMeasured = decide({}, { measured });

    // Assess
    expect(onAssumption.reason).toMatch(/^ROI 9× \(\$100\.00 value for \$10\.00 cost\) and acceptance/);
    expect(onMeasured.verdict).toBe('scale');
    expect(onMeasured.reason).toBe(
      'ROI 290× on measured value ($2,900.00 net, 95% CI $2,450.00–$3,360.00, for $10.00 cost) and acceptance 90% (95% CI 80–95%) clears the 70% target even at its 95% lower bound.',
    );
  });

  it('fixes a workflow whose assumption pays but whose measured value does not cover the ROI target', () => {
    // Prepare: ROI 9× on the assumption; measured, the AI runs save $5 net on $10 of cost (0.5×)
    const measured = { netValueUsd: 5, low95: -20, high95: 30 };

    // Act
    const result = decide({}, { measured, targets: { minRoi: 1 } });

    // Assess
    expect(decide({}, { targets: { minRoi: 1 } }).verdict).toBe('scale');
    expect(result.verdict).toBe('fix');
    expect(result.reason).toBe(
      'ROI 0.5× on measured value ($5.00 net, 95% CI -$20.00 to $30.00, for $10.00 cost) is below the 1× target.',
    );
  });

  it('gives value data to a workflow with neither reported value nor an assumption', () => {
    // Prepare: nothing values its successes, so on its own it is unproven
    const noValue = { valueUsd: null, valueReportedUsd: 0, valueCoverage: 0, roi: null };

    // Act
    const alone = decide(noValue);
    const measured = decide(noValue, { measured: { netValueUsd: 400, low95: 300, high95: 500 } });

    // Assess
    expect(alone.verdict).toBe('unproven');
    expect(measured.verdict).toBe('scale');
    expect(measured.findings.map((f) => f.code)).not.toContain('no_value_data');
  });

  it('keeps the week before on its own value basis for the two-week loss rule', () => {
    // Prepare: last week lost money on its reported value; this week loses money measured
    const previous = { valueUsd: 5, valueReportedUsd: 5, roi: -0.5 };

    // Act
    const result = decide({}, { previous, measured: { netValueUsd: -2, low95: -9, high95: 5 } });

    // Assess
    expect(result.verdict).toBe('stop');
    expect(result.reason).toBe(
      'Value did not cover cost two weeks running: ROI -0.2× this week on measured value (-$2.00 net, 95% CI -$9.00 to $5.00, for $10.00 cost) and -0.5× the week before.',
    );
  });
});
