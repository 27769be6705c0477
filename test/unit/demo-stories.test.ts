import { describe, expect, it } from 'vitest';
import { dealWeek } from '../../infra/local/demo/deal.ts';
import { DEMO_STORIES, demoFleet } from '../../infra/local/demo/fleet.ts';
import { seededRandom } from '../../infra/local/demo/random.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { buildDigest } from '../../shared/digest/build.ts';
import { collectWorkflowWeeks } from '../../shared/digest/collect.ts';
import { previousWeek } from '../../shared/digest/weeks.ts';
import { InMemoryMetricsStore } from '../../shared/store/memory/in-memory-metrics-store.ts';
import { DAY_MS, HOUR_MS, isoWeekOf, isoWeekStart } from '../../shared/time.ts';
import { ingestDemo } from '../support/demo-data.ts';

const catalog = loadCatalogFile('catalog.json');

/** The stories of the README's "What you see", as verdicts. */
const STORY_VERDICTS = {
  'invoice-triage': 'scale',
  'support-assistant': 'fix',
  'marketing-copy': 'unproven',
  'code-review-assistant': 'fix',
  'expense-audit': 'scale',
  'kb-embeddings': 'not-enough-data',
} as const;

/** The digest a demo seeded at `nowMs` gives for the last complete week, counted in memory. */
const digestOfDemoAt = async (nowMs: number) => {
  const week = previousWeek(isoWeekOf(nowMs));
  const store = new InMemoryMetricsStore();
  // Only the judged week and the one before feed the verdicts; older days would only slow the test.
  await ingestDemo(store, { nowMs, price: catalog.price, fromMs: isoWeekStart(week) - 7 * DAY_MS });
  const workflows = await collectWorkflowWeeks(store, catalog, week);
  return buildDigest({ week, generatedAt: new Date(nowMs).toISOString(), catalog, workflows });
};

// Ten consecutive ISO weeks, seeded on a different weekday and hour each time (Monday 06:00 is when
// the digest is sent; later days also hold part of the current week).
const SEEDED_AT = Array.from(
  { length: 10 },
  (_, i) => isoWeekStart('2026-W41') + i * 7 * DAY_MS + (i % 7) * DAY_MS + (6 + i) * HOUR_MS,
);

describe('the demo fleet tells its stories in every week', () => {
  it.each(SEEDED_AT.map((ms) => [isoWeekOf(ms), new Date(ms).toISOString(), ms] as const))(
    'seeded in %s (%s), the digest of the week before gives each workflow its story verdict',
    async (_week, _at, nowMs) => {
      // Prepare, Act
      const digest = await digestOfDemoAt(nowMs);
      const row = (id: string) => digest.workflows.find((w) => w.workflowId === id);

      // Assess
      expect(Object.fromEntries(digest.workflows.map((w) => [w.workflowId, w.verdict]))).toEqual(
        STORY_VERDICTS,
      );
      expect(row('support-assistant')?.findings.map((f) => f.code)).toContain('override_rising');
      expect(row('marketing-copy')?.findings.map((f) => f.code)).toEqual(
        expect.arrayContaining(['no_value_data', 'runs_falling']),
      );
      expect(row('code-review-assistant')?.findings.map((f) => f.code)).toEqual(
        expect.arrayContaining(['override_above_target', 'adoption_below_target']),
      );
      // every other catalog workflow clears its adoption target
      expect(
        digest.workflows
          .filter((w) => w.findings.some((f) => f.code.startsWith('adoption_')))
          .map((w) => w.workflowId),
      ).toEqual(['code-review-assistant']);
      expect(row('kb-embeddings')?.current.unpricedUsageEvents).toBeGreaterThan(0);
      // invoice-triage's value is measured against its human-only arm, and its verdict rests on it
      const invoice = row('invoice-triage')?.variants?.comparisons[0];
      expect(invoice?.measuredValueUsd?.claimed).toBe(true);
      expect(invoice?.possiblyConfounded).toBe(false);
      expect(invoice?.baseline).toMatchObject({ variant: 'human', humanOnly: true });
      expect(invoice?.baseline.durations).toBeGreaterThanOrEqual(30);
      expect(row('invoice-triage')?.reason).toContain('on measured value');
      // support-assistant's prompt v2 is overridden more than v1, beyond the 95% interval
      const support = row('support-assistant')?.variants?.comparisons[0];
      expect(support).toMatchObject({
        variant: { variant: 'prompt-v2' },
        baseline: { variant: 'prompt-v1' },
      });
      expect(support?.possiblyConfounded).toBe(true);
      expect(support?.overrideRate?.claimed).toBe(true);
      expect(support?.overrideRate?.low95).toBeGreaterThan(0);
    },
  );

  it('deals the comparison arms from exact decks: the same share every week, the same runs for the same seed', () => {
    // Prepare
    const invoice = DEMO_STORIES.find((story) => story.workflowId === 'invoice-triage');
    if (!invoice) throw new Error('invoice-triage story missing');
    const deal = (seed: string) =>
      dealWeek(invoice, invoice.week(1), 740, seededRandom(seed)).map((run) => run.arm?.variant);

    // Act
    const weeks = ['2026-W41', '2026-W42', '2026-W43'].map(deal);

    // Assess: 5% of 740 runs, exactly, in a seeded order
    for (const arms of weeks) expect(arms.filter((arm) => arm === 'human')).toHaveLength(37);
    expect(weeks[0]).not.toEqual(weeks[1]);
    expect(deal('2026-W41')).toEqual(weeks[0]);
  });

  it('sends human-only runs as outcome events alone, with no usage and no review', () => {
    // Prepare, Act
    const entries = demoFleet(SEEDED_AT[0] ?? 0).entries.filter(
      (entry) => entry.Detail.workflowId === 'invoice-triage',
    );
    const human = entries.filter((entry) => entry.Detail.variant === 'human');

    // Assess
    expect(human.length).toBeGreaterThan(0);
    expect(new Set(human.map((entry) => entry.DetailType))).toEqual(new Set(['ai.workflow.outcome']));
    expect(entries.every((entry) => entry.Detail.variant === 'ai' || entry.Detail.variant === 'human')).toBe(
      true,
    );
  });

  it('keeps each verdict clear of its threshold, so a seed cannot tip it', async () => {
    // Prepare, Act
    const digest = await digestOfDemoAt(SEEDED_AT[0] ?? 0);
    const row = (id: string) => digest.workflows.find((w) => w.workflowId === id);

    // Assess: the 95% bounds clear the catalog targets (0.8 acceptance, 0.2 and 0.4 override)
    expect(row('invoice-triage')?.current.acceptanceRateLow95).toBeGreaterThan(0.8);
    expect(row('support-assistant')?.current.overrideRateLow95).toBeGreaterThan(0.2);
    expect(row('code-review-assistant')?.current.overrideRateLow95).toBeGreaterThan(0.4);
    expect(row('marketing-copy')?.current.runs).toBeGreaterThanOrEqual(10);
  });
});
