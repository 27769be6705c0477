import { describe, expect, it } from 'vitest';
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
      expect(row('code-review-assistant')?.findings.map((f) => f.code)).toContain('override_above_target');
      expect(row('kb-embeddings')?.current.unpricedUsageEvents).toBeGreaterThan(0);
    },
  );

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
