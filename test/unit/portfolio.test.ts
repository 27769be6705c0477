import { describe, expect, it } from 'vitest';
import { formatPortfolioTable } from '../../infra/local/portfolio-table.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { buildDigest, type WorkflowWeeks } from '../../shared/digest/build.ts';
import type { DigestModel } from '../../shared/digest/model.ts';
import { renderDigestText } from '../../shared/digest/render-text.ts';
import { type Counters, emptyCounters, userToken } from '../../shared/metrics/counters.ts';
import { streakOf, trailingWeeks, weeksInPilot } from '../../shared/portfolio/funnel.ts';
import {
  readVerdictHistory,
  type VerdictHistory,
  verdictsOfArchivedDigest,
} from '../../shared/portfolio/history.ts';
import type { HistoryWeek, PortfolioFigures } from '../../shared/portfolio/model.ts';
import { InMemoryDigestArchive } from '../../shared/store/digest-archive.ts';
import type { VerdictName } from '../../shared/verdicts/verdict.ts';

const WEEK = '2026-W47';

/** A week of `runs` reviewed runs: `overridden` of 40 reviews edited, cost $0.01 a run, `users` users. */
const week = (runs: number, { users = 10, overridden = 2, unpriced = 0, value = 0 } = {}): Counters => {
  const c = emptyCounters();
  Object.assign(c.values, {
    succeeded: BigInt(runs),
    usageEvents: BigInt(runs + unpriced),
    unpricedUsageEvents: BigInt(unpriced),
    costReportedNanos: BigInt(runs) * 10_000_000n,
    valueReportedNanos: BigInt(value * runs) * 1_000_000_000n,
    succeededWithValue: value > 0 ? BigInt(runs) : 0n,
    accepted: BigInt(40 - overridden),
    edited: BigInt(overridden),
  });
  for (let u = 0; u < users; u++) c.users.add(userToken(`u-${u}`));
  return c;
};

const catalog = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: 'invoices',
        name: 'Invoices',
        ownerTeam: 'Finance Ops',
        stage: 'production',
        businessFunction: 'finance',
        eligibleUsers: 20,
        valuePerSuccessUsd: 2,
      },
      {
        id: 'expenses',
        name: 'Expenses',
        ownerTeam: 'Finance Ops',
        stage: 'pilot',
        businessFunction: 'Finance',
        eligibleUsers: 40,
        pilotSince: '2026-09-01',
        minutesSavedPerSuccess: 3,
      },
      {
        id: 'replies',
        name: 'Replies',
        ownerTeam: 'Support',
        stage: 'pilot',
        businessFunction: 'customer-support',
        pilotSince: '2026-10-26',
      },
      { id: 'drafts', name: 'Drafts', ownerTeam: 'Support', stage: 'pilot', valuePerSuccessUsd: 1 },
    ],
  },
  'test-catalog.json',
);

const weeks = (workflowId: string, current: Counters): WorkflowWeeks => ({
  workflowId,
  current,
  previous: current,
});

const digestOf = (history?: VerdictHistory): DigestModel =>
  buildDigest({
    week: WEEK,
    generatedAt: '2026-11-30T06:00:00.000Z',
    catalog,
    workflows: [
      weeks('invoices', week(300, { users: 16 })),
      weeks('expenses', week(120, { users: 8, value: 3 })),
      weeks('replies', week(80, { unpriced: 5, overridden: 30 })),
      weeks('drafts', week(50, { users: 0 })),
      weeks('shadow-bot', week(40)),
    ],
    ...(history ? { history } : {}),
  });

// Every additive figure of a table's rows, summed, against its totals.
const ADDITIVE = [
  'workflows',
  'pilots',
  'production',
  'notInCatalog',
  'runs',
  'succeeded',
  'valuedSuccesses',
  'valueReportedUsd',
  'valueAssumedUsd',
  'costUsd',
  'unpricedUsageEvents',
  'activeUsers',
  'eligibleUsers',
  'adoptionKnown',
] as const satisfies readonly (keyof PortfolioFigures)[];

const sumOf = (rows: readonly PortfolioFigures[], key: (typeof ADDITIVE)[number]) =>
  Math.round(rows.reduce((sum, r) => sum + r[key], 0) * 1e9) / 1e9;

describe('buildPortfolio: grouping', () => {
  it('groups by business function (case-insensitively) and by owner team, with totals equal to the sum of each table', () => {
    // Prepare, Act
    const { portfolio, workflows } = digestOf();

    // Assess
    expect(portfolio.byBusinessFunction.map((r) => [r.label, r.workflowIds])).toEqual([
      ['customer-support', ['replies']],
      ['finance', ['expenses', 'invoices']],
      ['No business function', ['drafts']],
      ['Not in the catalog', ['shadow-bot']],
    ]);
    expect(portfolio.byOwnerTeam.map((r) => [r.label, r.workflowIds])).toEqual([
      ['Finance Ops', ['expenses', 'invoices']],
      ['Support', ['drafts', 'replies']],
      ['Not in the catalog', ['shadow-bot']],
    ]);
    for (const rows of [portfolio.byBusinessFunction, portfolio.byOwnerTeam])
      for (const key of ADDITIVE) expect(sumOf(rows, key), key).toBe(portfolio.totals[key]);
    for (const verdict of Object.keys(portfolio.totals.verdicts) as VerdictName[])
      expect(portfolio.byOwnerTeam.reduce((n, r) => n + r.verdicts[verdict], 0)).toBe(
        portfolio.totals.verdicts[verdict],
      );
    // and the totals are the digest's own per-workflow figures, summed
    expect(portfolio.totals.runs).toBe(workflows.reduce((n, w) => n + w.current.runs, 0));
    expect(portfolio.totals.costUsd).toBeCloseTo(
      workflows.reduce((n, w) => n + w.current.costUsd, 0),
      9,
    );
  });

  it('keeps unknown apart from zero: unpriced cost makes ROI unknown, missing eligible users leave adoption out', () => {
    // Prepare, Act
    const { portfolio } = digestOf();
    const support = portfolio.byBusinessFunction.find((r) => r.key === 'customer-support');
    const finance = portfolio.byBusinessFunction.find((r) => r.key === 'finance');
    const drafts = portfolio.byBusinessFunction.find((r) => r.key === 'unassigned');

    // Assess
    expect(support).toMatchObject({ costComplete: false, roi: null, valueUsd: null, adoptionRate: null });
    expect(portfolio.totals).toMatchObject({ costComplete: false, roi: null });
    // finance: 16 of 20 and 8 of 40 → 24 of 60
    expect(finance).toMatchObject({
      activeUsers: 24,
      eligibleUsers: 60,
      adoptionRate: 0.4,
      adoptionKnown: 2,
    });
    expect(finance?.valueUsd).toBe(300 * 2 + 120 * 3);
    expect(finance?.roi).toBeCloseTo((960 - 4.2) / 4.2, 4);
    // drafts has no eligibleUsers and no userIds: unknown, not 0 %
    expect(drafts?.adoptionRate).toBeNull();
    expect(portfolio.totals.adoptionRate).toBe(0.4);
  });
});

const history = (...verdicts: Array<VerdictName | null>): HistoryWeek[] =>
  verdicts.map((verdict, i) => ({ week: `2026-W${40 + i}`, verdict }));

describe('pilot funnel: streaks', () => {
  it('calls a pilot ready to promote after scale three weeks running, not before, and never a production workflow', () => {
    // Prepare, Act
    const three = streakOf(history('watch', 'scale', 'scale', 'scale'), 'pilot');
    const two = streakOf(history('scale', 'watch', 'scale', 'scale'), 'pilot');
    const production = streakOf(history('scale', 'scale', 'scale', 'scale'), 'production');

    // Assess
    expect(three.action).toEqual({
      code: 'ready-to-promote',
      weeks: 3,
      message: 'scale 3 weeks running: ready to promote',
    });
    expect(two).toEqual({ streak: { label: 'scale', weeks: 2 }, action: null });
    expect(production).toEqual({ streak: { label: 'scale', weeks: 4 }, action: null });
  });

  it('asks whether to stop after unproven or stalled four weeks running, in any mix', () => {
    // Prepare, Act
    const mixed = streakOf(history('unproven', 'stalled', 'unproven', 'stalled'), 'production');
    const same = streakOf(history('scale', 'unproven', 'unproven', 'unproven', 'unproven'), 'pilot');
    const three = streakOf(history('fix', 'unproven', 'unproven', 'unproven'), 'pilot');

    // Assess
    expect(mixed.action?.message).toBe('unproven or stalled 4 weeks running: decide whether to stop');
    expect(same.action?.message).toBe('unproven 4 weeks running: decide whether to stop');
    expect(three.action).toBeNull();
  });

  it('lets a week without an archived digest break a streak', () => {
    // Prepare
    const gap = history('scale', 'scale', null, 'scale', 'scale');

    // Act, Assess
    expect(trailingWeeks(gap, (v) => v === 'scale')).toBe(2);
    expect(streakOf(gap, 'pilot').action).toBeNull();
  });

  it('counts whole weeks in pilot to the end of the week, and none before the pilot starts', () => {
    // Prepare, Act, Assess
    // 2026-W47 ends Monday 23 November; 1 September is 12 weeks and 6 days before.
    expect(weeksInPilot('2026-09-01', WEEK)).toBe(11);
    expect(weeksInPilot('2026-11-16', WEEK)).toBe(1);
    expect(weeksInPilot('2026-12-01', WEEK)).toBe(0);
  });

  it('reads verdict history from the archive, and streaks in the digest agree with it', async () => {
    // Prepare: three archived weeks; the week before has no digest
    const archive = new InMemoryDigestArchive();
    const archived = (week: string, verdicts: Record<string, VerdictName>) =>
      archive.put({
        week,
        generatedAt: '2026-11-01T06:00:00.000Z',
        html: '',
        text: '',
        json: JSON.stringify({
          workflows: Object.entries(verdicts).map(([workflowId, verdict]) => ({ workflowId, verdict })),
        }),
      });
    await archived('2026-W43', { expenses: 'scale', replies: 'stalled' });
    await archived('2026-W44', { expenses: 'scale', replies: 'unproven' });
    await archived('2026-W45', { expenses: 'scale', replies: 'stalled' });
    await archive.put({ week: '2026-W46', generatedAt: '', html: '', text: '', json: '{broken' });

    // Act
    const past = await readVerdictHistory(archive, WEEK, 5);
    const digest = digestOf(past);
    const entry = (id: string) => digest.portfolio.funnel.entries.find((e) => e.workflowId === id);

    // Assess
    expect(past.weeks).toEqual(['2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46']);
    expect(digest.portfolio.funnel.archivedWeeks).toEqual(['2026-W43', '2026-W44', '2026-W45']);
    expect(digest.portfolio.funnel.missingWeeks).toEqual(['2026-W42', '2026-W46']);
    expect(entry('expenses')?.history.map((h) => h.verdict)).toEqual([
      null,
      'scale',
      'scale',
      'scale',
      null,
      entry('expenses')?.verdict,
    ]);
    // the unreadable week 46 breaks every streak: only this week counts
    expect(entry('expenses')?.streak.weeks).toBe(1);
    expect(digest.portfolio.funnel.newWorkflows).toEqual([
      { workflowId: 'shadow-bot', runs: 40, usageEvents: 40 },
    ]);
    expect(digest.portfolio.funnel).toMatchObject({ pilots: 3, production: 1 });
  });

  it('ignores what an archived digest says that is not a verdict', () => {
    // Prepare, Act
    const verdicts = verdictsOfArchivedDigest(
      JSON.stringify({
        workflows: [
          { workflowId: 'a', verdict: 'scale' },
          { workflowId: 'b', verdict: 'grow' },
          { verdict: 'fix' },
        ],
      }),
    );

    // Assess
    expect(verdicts).toEqual({ a: 'scale' });
    expect(verdictsOfArchivedDigest('[]')).toBeNull();
  });
});

describe('portfolio in the text digest', () => {
  it('comes first, before the fleet table and the workflows', () => {
    // Prepare, Act
    const text = renderDigestText(digestOf());

    // Assess
    const at = (heading: string) => text.indexOf(`\n${heading}\n`);
    expect(at('PORTFOLIO')).toBeGreaterThan(0);
    expect(at('PORTFOLIO')).toBeLessThan(at('FLEET'));
    expect(at('FLEET')).toBeLessThan(at('WORKFLOWS'));
    expect(text).toContain('- Not in the catalog (1 workflow): runs 40;');
    expect(text).toMatch(/New, not in the catalog: shadow-bot \(40 runs, 40 usage events\)/);
  });
});

describe('portfolio in the terminal', () => {
  it('prints one line per business function and the total last, with unknown adoption as "unknown"', () => {
    // Prepare
    const { portfolio } = digestOf();

    // Act
    const lines = formatPortfolioTable(portfolio).split('\n');

    // Assess
    const labels = lines.slice(2, 2 + portfolio.byBusinessFunction.length).map((l) => l.split(/\s{2,}/)[0]);
    expect(labels).toEqual(portfolio.byBusinessFunction.map((r) => r.label));
    const total = lines.find((l) => l.startsWith('Total'));
    expect(total?.split(/\s{2,}/).slice(1, 3)).toEqual(['5', '590']);
    expect(lines.find((l) => l.startsWith('customer-support'))).toMatch(
      /unknown\s+≥ \$0\.80\s+unknown\s+unknown\s+1 unproven$/,
    );
  });
});
