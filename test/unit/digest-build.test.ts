import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { buildDigest, type WorkflowWeeks } from '../../shared/digest/build.ts';
import { lastFullWeek, previousWeek } from '../../shared/digest/weeks.ts';
import { type CounterField, type Counters, emptyCounters } from '../../shared/metrics/counters.ts';

const counters = (
  values: Partial<Record<CounterField, bigint>>,
  pricedBy: Record<string, bigint> = {},
): Counters => {
  const c = emptyCounters();
  Object.assign(c.values, values);
  for (const [ref, n] of Object.entries(pricedBy)) c.pricedBy.set(ref, n);
  return c;
};

const USD = 1_000_000_000n;

// 100 runs, 90 succeeded, $10 reported cost, 50 reviews with 45 accepted: healthy.
const healthy = (extra: Partial<Record<CounterField, bigint>> = {}) =>
  counters({
    usageEvents: 100n,
    costReportedNanos: 10n * USD,
    succeeded: 90n,
    failed: 10n,
    accepted: 45n,
    edited: 4n,
    rejected: 1n,
    ...extra,
  });

const catalog = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: 'assumed',
        name: 'Assumed value',
        ownerTeam: 'Ops',
        stage: 'production',
        valuePerSuccessUsd: 5,
        minutesSavedPerSuccess: 6,
      },
      { id: 'reported', name: 'Reported value', ownerTeam: 'Support', stage: 'pilot' },
    ],
  },
  'test-catalog.json',
);

const build = (workflows: WorkflowWeeks[], source = catalog) =>
  buildDigest({ week: '2026-W47', generatedAt: '2026-11-25T12:00:00.000Z', catalog: source, workflows });

describe('buildDigest', () => {
  it('covers the ISO week in UTC and compares it with the week before', () => {
    // Prepare, Act
    const digest = build([]);

    // Assess
    expect(digest).toMatchObject({
      week: '2026-W47',
      previousWeek: '2026-W46',
      from: '2026-11-16T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
      catalog: 'test-catalog.json',
    });
    expect(digest.headline).toBe('No workflow sent events in these two weeks and the catalog lists none.');
  });

  it('splits value and hours into reported and assumed, and says so in the notes', () => {
    // Prepare: 4 of 90 successes reported $20 in total; the other 86 are assumed at $5 each
    const current = healthy({ valueReportedNanos: 20n * USD, succeededWithValue: 4n });

    // Act
    const digest = build([{ workflowId: 'assumed', current, previous: healthy() }]);

    // Assess
    const row = digest.workflows[0];
    expect(row?.current).toMatchObject({
      valueReportedUsd: 20,
      valueAssumedUsd: 430,
      valueUsd: 450,
      hoursSaved: 9,
    });
    expect(digest.fleet.current).toMatchObject({
      valueReportedUsd: 20,
      valueAssumedUsd: 430,
      hoursSavedAssumed: 9,
    });
    expect(digest.notes[0]).toBe(
      "Value $450.00: $20.00 (4%) reported by the workflows, $430.00 (96%) assumed from the catalog's value per success (assumed $5.00).",
    );
  });

  it('re-values the same counters when a catalog assumption changes', () => {
    // Prepare
    const weeks = [{ workflowId: 'assumed', current: healthy(), previous: healthy() }];
    const raised = parseCatalog(
      {
        version: 1,
        workflows: [{ id: 'assumed', name: 'A', ownerTeam: 'Ops', stage: 'pilot', valuePerSuccessUsd: 7.5 }],
      },
      'raised.json',
    );

    // Act
    const before = build(weeks).fleet.current.valueUsd;
    const after = build(weeks, raised).fleet.current.valueUsd;

    // Assess
    expect(before).toBe(450);
    expect(after).toBe(675);
  });

  it('computes the fleet ROI from the sums, not as an average of the workflows', () => {
    // Prepare: $450 value on $10 cost, and $20 value on $10 cost
    const weeks = [
      { workflowId: 'assumed', current: healthy(), previous: healthy() },
      {
        workflowId: 'reported',
        current: healthy({ valueReportedNanos: 20n * USD, succeededWithValue: 90n }),
        previous: healthy({ valueReportedNanos: 20n * USD, succeededWithValue: 90n }),
      },
    ];

    // Act
    const { fleet } = build(weeks);

    // Assess: (470 − 20) / 20
    expect(fleet.current.roi).toBe(22.5);
    expect(fleet.change.netValueUsd).toEqual({ current: 450, previous: 450, absolute: 0, percent: 0 });
  });

  it('lists decisions first and measures workflows absent from the catalog under their id', () => {
    // Prepare
    const weeks = [
      {
        workflowId: 'stranger',
        current: counters({ usageEvents: 40n, unpricedUsageEvents: 40n }),
        previous: emptyCounters(),
      },
      { workflowId: 'reported', current: healthy(), previous: healthy() },
      { workflowId: 'assumed', current: healthy(), previous: healthy() },
    ];

    // Act
    const digest = build(weeks);

    // Assess
    expect(digest.workflows.map((w) => [w.workflowId, w.verdict])).toEqual([
      ['assumed', 'scale'],
      ['reported', 'unproven'],
      ['stranger', 'not-enough-data'],
    ]);
    expect(digest.workflows[2]).toMatchObject({ name: 'stranger', inCatalog: false, ownerTeam: null });
    expect(digest.verdictCounts).toEqual({
      scale: 1,
      fix: 0,
      stop: 0,
      stalled: 0,
      unproven: 1,
      watch: 0,
      'not-enough-data': 1,
    });
    expect(digest.headline).toMatch(
      /on ≥ \$20\.00 of AI cost; net value unknown: 1 to scale, 1 unproven, 1 without enough data\.$/,
    );
    expect(digest.notes).toContain(
      'Cost is understated: 40 usage events (stranger) used models with no price and count as unknown, not $0.',
    );
  });

  it('records which price table entries priced the week', () => {
    // Prepare
    const current = healthy({ costPricedNanos: 1n * USD });
    current.pricedBy.set('openai/gpt-4o-mini@2025-06-01', 100n);

    // Act
    const digest = build([{ workflowId: 'assumed', current, previous: healthy() }]);

    // Assess
    expect(digest.workflows[0]?.pricedBy).toEqual({ 'openai/gpt-4o-mini@2025-06-01': 100 });
    expect(digest.notes[2]).toBe(
      'AI cost $11.00: $10.00 reported by the workflows, $1.00 priced at ingestion from the price table (openai/gpt-4o-mini@2025-06-01).',
    );
  });
});

describe('digest weeks', () => {
  it('takes the last full ISO week in UTC, across a 53-week year', () => {
    // Prepare
    const mondayMidnight = Date.parse('2027-01-04T00:00:00Z');

    // Act, Assess
    expect(lastFullWeek(Date.parse('2026-11-25T12:00:00Z'))).toBe('2026-W47');
    expect(lastFullWeek(mondayMidnight)).toBe('2026-W53');
    expect(lastFullWeek(mondayMidnight - 1)).toBe('2026-W52');
    expect(previousWeek('2026-W01')).toBe('2025-W52');
  });
});
