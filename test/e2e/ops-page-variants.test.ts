import { mkdirSync } from 'node:fs';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsPageRoutes } from '../../infra/local/ops-page/static-routes.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import {
  formatMinutes,
  formatMinutesDifference,
  formatMinutesInterval,
  formatPoints,
  formatPointsInterval,
  formatUsdInterval,
} from '../../shared/format/intervals.ts';
import { formatUsd } from '../../shared/format/money.ts';
import { formatCount, formatRateWithInterval } from '../../shared/format/rates.ts';
import { ComparisonMinimums } from '../../shared/metrics/compare.ts';
import { wilsonInterval } from '../../shared/metrics/wilson.ts';
import type { WorkflowVariantsResponse } from '../../shared/query/variants-query.ts';
import { launchChromium } from '../support/chromium.ts';
import { getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';
import { horizontalOverflow, openOpsPage, type PageGlobals, putAll } from '../support/ops-page.ts';

// A randomised ai/human workflow whose human arm is below the per-arm minimum for durations, an
// observational prompt trial without a labour rate, and a workflow with no variants, through the
// real path; the panel must show what GET /workflows/{id}/variants says, through the shared formatters.
const LABOR_PER_HOUR = 60;
const HUMAN_RUNS = 12;
const catalog = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: 'claims-check',
        name: 'Claims check',
        ownerTeam: 'claims',
        stage: 'pilot',
        baselineVariant: 'human',
        laborCostPerHourUsd: LABOR_PER_HOUR,
        assignment: 'randomized',
      },
      {
        id: 'prompt-trial',
        name: 'Prompt trial',
        ownerTeam: 'support',
        stage: 'pilot',
        baselineVariant: 'prompt-v1',
        assignment: 'observational',
      },
      { id: 'plain', name: 'Plain', ownerTeam: 'ops', stage: 'production' },
    ],
  },
  'ops page variants catalog',
);

interface ArmSpec {
  readonly workflowId: string;
  readonly variant?: string;
  readonly runs: number;
  readonly centreMs: number;
  readonly ai: boolean;
  readonly editedEvery: number;
}

const ARMS: readonly ArmSpec[] = [
  { workflowId: 'claims-check', variant: 'ai', runs: 40, centreMs: 240_000, ai: true, editedEvery: 4 },
  {
    workflowId: 'claims-check',
    variant: 'human',
    runs: HUMAN_RUNS,
    centreMs: 660_000,
    ai: false,
    editedEvery: 0,
  },
  { workflowId: 'prompt-trial', variant: 'prompt-v1', runs: 24, centreMs: 30_000, ai: true, editedEvery: 5 },
  { workflowId: 'prompt-trial', variant: 'prompt-v2', runs: 24, centreMs: 28_000, ai: true, editedEvery: 3 },
  { workflowId: 'plain', runs: 10, centreMs: 20_000, ai: true, editedEvery: 4 },
];

/** An arm's runs: an outcome with a duration each, a usage event and a review for AI runs. */
const entriesOf = (arm: ArmSpec, base: number, bus: string): PutEventsRequestEntry[] =>
  Array.from({ length: arm.runs }, (_, i) => {
    const tag = `${arm.workflowId}-${arm.variant ?? 'default'}-${i}`;
    const common = {
      schemaVersion: 1,
      workflowId: arm.workflowId,
      runId: tag,
      occurredAt: new Date(base + i * 1000).toISOString(),
      ...(arm.variant ? { variant: arm.variant } : {}),
    };
    const entry = (type: string, detail: Record<string, unknown>): PutEventsRequestEntry => ({
      EventBusName: bus,
      Source: 'acme.e2e',
      DetailType: type,
      Detail: JSON.stringify({ ...common, ...detail }),
    });
    const durationMs = Math.round(arm.centreMs * (1 + 0.25 * Math.sin(i * 1.7)));
    const outcome = entry('ai.workflow.outcome', {
      eventId: `${tag}-o`,
      status: i % 7 === 6 ? 'failed' : 'succeeded',
      durationMs,
    });
    if (!arm.ai) return [outcome];
    const usage = { model: 'e2e-model', inputTokens: 900, outputTokens: 90, latencyMs: 700, costUsd: 0.0125 };
    const decision = i % arm.editedEvery === 0 ? 'edited' : 'accepted';
    return [
      outcome,
      entry('ai.workflow.usage', { eventId: `${tag}-u`, ...usage }),
      entry('ai.workflow.override', { eventId: `${tag}-r`, decision }),
    ];
  }).flat();

/** What a workflow's variants panel shows: each arm's figures and each comparison's rows. */
interface ShownVariants {
  readonly arms: Record<string, Record<string, string>>;
  readonly comparisons: Record<
    string,
    { design: string; rows: Record<string, { text: string; state: string; note: string; bar: boolean }> }
  >;
}

const shownVariants = (page: Page, workflowId: string): Promise<ShownVariants | null> =>
  page.evaluate((id) => {
    const g = globalThis as unknown as PageGlobals;
    const panel = g.document.querySelectorAll(`#wf-${id} [data-panel="variants"]`)[0];
    if (!panel) return null;
    const within = (selector: string) =>
      Array.from(g.document.querySelectorAll(`#wf-${id} [data-panel="variants"] ${selector}`));
    const arms: ShownVariants['arms'] = {};
    for (const dd of within('.variant-arm [data-figure] dd')) {
      const arm = dd.closest('[data-variant]')?.getAttribute('data-variant') ?? '';
      const figure = dd.closest('[data-figure]')?.getAttribute('data-figure') ?? '';
      arms[arm] = { ...arms[arm], [figure]: dd.textContent ?? '' };
    }
    const comparisons: ShownVariants['comparisons'] = {};
    for (const c of within('.comparison')) {
      const rows: ShownVariants['comparisons'][string]['rows'] = {};
      for (const row of within(
        `.comparison[data-variant="${c.getAttribute('data-variant')}"] [data-difference]`,
      ))
        rows[row.getAttribute('data-difference') ?? ''] = {
          text: row.querySelector('.difference-text')?.textContent ?? '',
          state: row.getAttribute('data-state') ?? '',
          note: row.querySelector('.difference-note')?.textContent ?? '',
          bar: row.querySelector('svg') !== null,
        };
      comparisons[c.getAttribute('data-variant') ?? ''] = {
        design: c.querySelector('[data-design]')?.textContent ?? '',
        rows,
      };
    }
    return { arms, comparisons };
  }, workflowId);

describe('the ops page’s variants panel', () => {
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    local = await startTestLocalMode({ staticRoutes: opsPageRoutes(), catalog });
    const base = recentHour();
    await putAll(
      local,
      ARMS.flatMap((arm) => entriesOf(arm, base, local.busName)),
    );
    await local.drain();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await local?.dropTable();
  });

  const variantsOf = async (workflowId: string, range: { from: string; to: string }) => {
    const { status, body } = await getJson<WorkflowVariantsResponse>(
      `${local.apiUrl}/workflows/${workflowId}/variants?granularity=day&from=${range.from}&to=${range.to}`,
    );
    expect(status).toBe(200);
    const metrics = (variant: string) => {
      const found = body.variants.find((v) => v.variant === variant)?.metrics;
      if (!found) throw new Error(`${workflowId} has no variant ${variant}`);
      return found;
    };
    return { body, metrics };
  };

  it('shows each variant and each comparison with the figures GET /workflows/{id}/variants gives, unknowns and unclaimed ones labelled', async () => {
    // Prepare
    const { page, consoleErrors, state } = await openOpsPage(browser, `${local.apiUrl}/?days=7`, {
      width: 1280,
    });
    const range = { from: state.ops?.from ?? '', to: state.ops?.to ?? '' };
    const claims = await variantsOf('claims-check', range);
    const trial = await variantsOf('prompt-trial', range);

    // Act
    const shown = {
      claims: await shownVariants(page, 'claims-check'),
      trial: await shownVariants(page, 'prompt-trial'),
      plain: await shownVariants(page, 'plain'),
      plainCard: await page.locator('#wf-plain').count(),
    };
    await page.close();

    // Assess: every arm's figures, rates with their Wilson intervals, null as unknown
    expect(consoleErrors).toEqual([]);
    const rate = (successes: number, trials: number, value: number | null) => {
      const interval = wilsonInterval(successes, trials);
      return value === null || interval === null
        ? 'unknown'
        : formatRateWithInterval(value, interval.low, interval.high);
    };
    for (const variant of ['ai', 'human']) {
      const m = claims.metrics(variant);
      expect(shown.claims?.arms[variant], variant).toEqual({
        runs: formatCount(m.runs),
        successRate: rate(m.succeeded, m.runs, m.successRate),
        acceptanceRate: rate(m.accepted, m.reviews, m.acceptanceRate),
        overrideRate: rate(m.edited + m.rejected, m.reviews, m.overrideRate),
        duration: formatMinutes(m.durationMsMean ?? Number.NaN),
        aiCost: formatUsd(m.aiCostPerRunUsd),
        laborCost: formatUsd(m.laborCostPerRunUsd),
      });
    }
    expect(shown.claims?.arms.human?.acceptanceRate).toBe('unknown');
    expect(shown.claims?.arms.human?.aiCost).toBe('$0.00');

    // Assess: the randomised comparison, claimed, unclaimed and unknown rows
    const c = claims.body.comparisons.find((x) => x.variant === 'ai');
    if (!c?.successRate || !c.durationMs || !c.measuredValueUsd)
      throw new Error('claims-check lacks a comparison');
    const rows = shown.claims?.comparisons.ai?.rows;
    expect(shown.claims?.comparisons.ai?.design).toBe('randomised');
    expect(rows?.successRate).toEqual({
      text: `${formatPoints(c.successRate.difference)} (95% CI ${formatPointsInterval(c.successRate.low95, c.successRate.high95)})`,
      state: 'claimed',
      note: '',
      bar: true,
    });
    const tooFew = `too few to tell (${HUMAN_RUNS} of ${ComparisonMinimums.valuesPerArm} needed)`;
    expect(rows?.durationMs).toEqual({
      text: `${formatMinutesDifference(c.durationMs.difference)} (95% CI ${formatMinutesInterval(c.durationMs.low95, c.durationMs.high95)})`,
      state: 'too-few',
      note: tooFew,
      bar: true,
    });
    expect(rows?.measuredValueUsd).toEqual({
      text: `${formatUsd(c.measuredValueUsd.estimate)} over ${formatCount(c.measuredValueUsd.runs)} runs (95% CI ${formatUsdInterval(c.measuredValueUsd.low95, c.measuredValueUsd.high95)})`,
      state: 'too-few',
      note: tooFew,
      bar: true,
    });
    expect(c.acceptanceRate).toBeNull();
    expect(rows?.acceptanceRate).toEqual({
      text: 'unknown',
      state: 'unknown',
      note: 'no reviews for human',
      bar: false,
    });

    // Assess: the observational trial is labelled, its cost unknown without a labour rate
    const t = trial.body.comparisons.find((x) => x.variant === 'prompt-v2');
    expect(t?.possiblyConfounded).toBe(true);
    expect(t?.costPerRunUsd).toBeNull();
    expect(shown.trial?.comparisons['prompt-v2']?.design).toBe('possibly confounded');
    expect(shown.trial?.comparisons['prompt-v2']?.rows.costPerRunUsd).toMatchObject({
      text: 'unknown',
      note: 'the catalog sets no labour cost per hour',
    });

    // Assess: a workflow with only the default variant has its card but no variants panel
    expect(shown.plainCard).toBe(1);
    expect(shown.plain).toBeNull();
  });

  it.each([1280, 390])(
    'fits %i px with the variants panels: nothing wider than the viewport',
    async (width) => {
      // Prepare
      mkdirSync('test-output', { recursive: true });
      const { page, consoleErrors } = await openOpsPage(browser, `${local.apiUrl}/?days=7`, { width });

      // Act
      const overflow = await horizontalOverflow(page);
      const panels = await page.locator('[data-panel="variants"]').count();
      const bars = await page.locator('[data-panel="variants"] svg.interval-bar').count();
      const png = await page.screenshot({
        path: `test-output/ops-page-variants-${width}.png`,
        fullPage: true,
      });
      await page.close();

      // Assess
      expect(consoleErrors).toEqual([]);
      expect(panels).toBe(2);
      expect(bars).toBeGreaterThan(0);
      expect(overflow.scrollWidth).toBeLessThanOrEqual(width);
      expect(overflow.overflowing).toEqual([]);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    },
  );
});
