import { describe, expect, it } from 'vitest';
import { type LoadedCatalog, parseCatalog } from '../../shared/catalog/load.ts';
import { buildDigest } from '../../shared/digest/build.ts';
import { collectWorkflowWeeks } from '../../shared/digest/collect.ts';
import type { DigestModel } from '../../shared/digest/model.ts';
import { renderDigestHtml } from '../../shared/digest/render-html.ts';
import { renderDigestText } from '../../shared/digest/render-text.ts';
import {
  formatMinutesInterval,
  formatPoints,
  formatPointsInterval,
  formatUsdInterval,
} from '../../shared/format/intervals.ts';
import { countBatch, type IncomingEvent } from '../../shared/ingest/count-batch.ts';
import { InMemoryMetricsStore } from '../../shared/store/memory/in-memory-metrics-store.ts';
import { referenceNewcombe, referenceWelch } from '../support/reference-statistics.ts';

const WEEK = '2026-W47';
const MONDAY_MS = Date.parse('2026-11-16T09:00:00Z');
const NOW_MS = Date.parse('2026-11-25T12:00:00Z');
const LABOR_PER_HOUR = 60;
const AI_COST_PER_RUN = 0.01;

/** A catalog with a timed human-only baseline (triage) and a prompt comparison without a labour rate (drafts). */
const catalogWith = (triage: Record<string, unknown> = {}): LoadedCatalog =>
  parseCatalog(
    {
      version: 1,
      workflows: [
        {
          id: 'triage',
          name: 'Triage',
          ownerTeam: 'Ops',
          stage: 'production',
          valuePerSuccessUsd: 4.3,
          baselineVariant: 'human',
          laborCostPerHourUsd: LABOR_PER_HOUR,
          assignment: 'randomized',
          ...triage,
        },
        { id: 'drafts', name: 'Drafts', ownerTeam: 'Support', stage: 'pilot', baselineVariant: 'v1' },
      ],
    },
    'test-catalog.json',
  );

let sequence = 0;
const event = (detailType: string, detail: Record<string, unknown>): IncomingEvent => {
  const eventId = `e-${++sequence}`;
  const full = {
    schemaVersion: 1,
    eventId,
    occurredAt: new Date(MONDAY_MS + sequence * 1000).toISOString(),
    ...detail,
  };
  return { ref: eventId, id: eventId, detailType, source: 'test', detail: full, body: JSON.stringify(full) };
};

/** One run: usage (AI arms only), a succeeded outcome with its duration, and optionally a review. */
const run = (workflowId: string, variant: string, durationMs: number, decision?: string) => [
  ...(variant === 'human'
    ? []
    : [
        event('ai.workflow.usage', {
          workflowId,
          variant,
          model: 'm',
          inputTokens: 10,
          outputTokens: 10,
          latencyMs: 100,
          costUsd: AI_COST_PER_RUN,
        }),
      ]),
  event('ai.workflow.outcome', { workflowId, variant, status: 'succeeded', durationMs }),
  ...(decision ? [event('ai.workflow.override', { workflowId, variant, decision })] : []),
];

// Durations that spread, so the Welch interval is not degenerate: AI about 2.7 min, people about 7 min.
const aiDurations = Array.from({ length: 100 }, (_, i) => 150_000 + (i % 5) * 5_000);
const humanDurations = (n: number) => Array.from({ length: n }, (_, i) => 400_000 + (i % 3) * 20_000);

const triageEvents = (humans: number) => [
  ...aiDurations.flatMap((ms, i) =>
    run('triage', 'ai', ms, i < 40 ? (i < 38 ? 'accepted' : 'edited') : undefined),
  ),
  ...humanDurations(humans).flatMap((ms) => run('triage', 'human', ms)),
];

const draftEvents = () => [
  ...Array.from({ length: 30 }, (_, i) => run('drafts', 'v2', 60_000, i < 12 ? 'edited' : 'accepted')).flat(),
  ...Array.from({ length: 30 }, (_, i) =>
    run('drafts', 'v1', 60_000, i < 3 ? 'rejected' : 'accepted'),
  ).flat(),
];

/** Counts the events into an in-memory store through the real ingestion path and builds the week's digest. */
const digestOf = async (
  events: IncomingEvent[],
  catalog = catalogWith(),
  store = new InMemoryMetricsStore(),
) => {
  const report = await countBatch(events, {
    store,
    price: catalog.price,
    window: { nowMs: NOW_MS, latenessMs: 35 * 86_400_000 },
  });
  expect(report.failures.size).toBe(0);
  const workflows = await collectWorkflowWeeks(store, catalog, WEEK);
  return buildDigest({ week: WEEK, generatedAt: new Date(NOW_MS).toISOString(), catalog, workflows });
};

const row = (digest: DigestModel, id: string) => {
  const found = digest.workflows.find((w) => w.workflowId === id);
  if (!found) throw new Error(`${id} missing`);
  return found;
};

describe('the digest measures value against a human-only baseline', () => {
  it('claims the measured value with its interval, recomputed from the raw durations', async () => {
    // Prepare: the reference interval from the raw values, by independent formulas
    const welch = referenceWelch(aiDurations, humanDurations(40));
    const perMs = LABOR_PER_HOUR / 3_600_000;
    const expected = {
      estimate: (-welch.difference * perMs - AI_COST_PER_RUN) * 100,
      low95: (-welch.high95 * perMs - AI_COST_PER_RUN) * 100,
      high95: (-welch.low95 * perMs - AI_COST_PER_RUN) * 100,
    };

    // Act
    const triage = row(await digestOf(triageEvents(40)), 'triage');
    const comparison = triage.variants?.comparisons[0];

    // Assess
    expect(comparison?.measuredValueUsd?.claimed).toBe(true);
    expect(comparison?.measuredValueUsd?.estimate).toBeCloseTo(expected.estimate, 4);
    expect(comparison?.measuredValueUsd?.low95).toBeCloseTo(expected.low95, 2);
    expect(comparison?.measuredValueUsd?.high95).toBeCloseTo(expected.high95, 2);
    // 100 successes; the catalog's value per success is before AI cost, so the cost is added back
    expect(comparison?.valuePerSuccessUsd?.estimate).toBeCloseTo(
      expected.estimate / 100 + AI_COST_PER_RUN,
      6,
    );
    expect(triage.variants?.lines).toEqual([
      `ai runs take ${(-welch.difference / 60_000).toFixed(1)} min less than human-only runs (95% CI ${formatMinutesInterval(-welch.high95, -welch.low95)}; 100 vs 40 runs, randomised): ${`$${expected.estimate.toFixed(2)}`} measured value this week (95% CI ${formatUsdInterval(Math.round(expected.low95 * 100) / 100, Math.round(expected.high95 * 100) / 100)}); the catalog assumes $4.30 per success, inside the interval (${formatUsdInterval(Math.round((expected.low95 / 100 + AI_COST_PER_RUN) * 100) / 100, Math.round((expected.high95 / 100 + AI_COST_PER_RUN) * 100) / 100)} measured per success).`,
    ]);
  });

  it('says when the catalog assumption is above or below the measured interval', async () => {
    // Prepare
    const events = triageEvents(40);

    // Act
    const high = row(await digestOf(events, catalogWith({ valuePerSuccessUsd: 10 })), 'triage');
    const low = row(await digestOf(events, catalogWith({ valuePerSuccessUsd: 1 })), 'triage');

    // Assess
    expect(high.variants?.comparisons[0]?.catalogAssumption?.position).toBe('above');
    expect(high.variants?.lines[0]).toContain('the catalog assumes $10.00 per success, above the interval');
    expect(low.variants?.comparisons[0]?.catalogAssumption?.position).toBe('below');
  });

  it('judges ROI on the claimed measured value and says so, even without an assumption', async () => {
    // Prepare: no valuePerSuccessUsd, so without variants nothing values the successes
    const catalog = catalogWith({ valuePerSuccessUsd: undefined });
    const unmeasured = catalogWith({ valuePerSuccessUsd: undefined, baselineVariant: undefined });

    // Act
    const measured = row(await digestOf(triageEvents(40), catalog), 'triage');
    const assumedOnly = row(await digestOf(triageEvents(40), unmeasured), 'triage');

    // Assess
    const net = measured.variants?.verdictMeasuredValue?.netValueUsd ?? Number.NaN;
    expect(assumedOnly.verdict).toBe('unproven');
    expect(measured.verdict).toBe('scale');
    expect(measured.reason).toMatch(
      new RegExp(
        `^ROI ${Math.round(net / measured.current.costUsd)}× on measured value \\(\\$[\\d,.]+ net, 95% CI`,
      ),
    );
    expect(measured.variants?.lines[0]).toContain('the catalog assumes no value per success');
  });

  it('says how many runs are missing below the minimum sample, and the verdict stays on the assumption', async () => {
    // Prepare, Act
    const triage = row(await digestOf(triageEvents(12)), 'triage');

    // Assess
    expect(triage.variants?.lines).toEqual([
      'Too few human-only runs to measure value: 12 of the 30 needed.',
    ]);
    expect(triage.variants?.verdictMeasuredValue).toBeNull();
    expect(triage.reason).not.toContain('measured value');
  });

  it('puts the line in the text and HTML digests', async () => {
    // Prepare
    const digest = await digestOf(triageEvents(12));

    // Act
    const text = renderDigestText(digest).replace(/\s+/g, ' ');
    const html = renderDigestHtml(digest);

    // Assess
    expect(text).toContain('Measured: Too few human-only runs to measure value: 12 of the 30 needed.');
    expect(html).toContain('Too few human-only runs to measure value: 12 of the 30 needed.');
  });
});

describe('the digest compares a variant with an AI baseline on its override rate', () => {
  it('labels an observational comparison as possibly confounded, with the Newcombe interval', async () => {
    // Prepare: v2 overridden 12 of 30 times, v1 3 of 30
    const reference = referenceNewcombe(12, 30, 3, 30);

    // Act
    const drafts = row(await digestOf(draftEvents()), 'drafts');

    // Assess
    expect(drafts.variants?.lines).toEqual([
      `v2 is overridden more often than v1: 40% vs 10% of reviews (${formatPoints(reference.difference)}, 95% CI ${formatPointsInterval(reference.low95, reference.high95)}; 30 vs 30 reviews, observational: possibly confounded).`,
    ]);
    expect(drafts.variants?.verdictMeasuredValue).toBeNull();
  });

  it('reads variants from the fleet rollup, for workflows whose catalog names a baseline only', async () => {
    // Prepare: a store that records every per-workflow read
    const asked: string[] = [];
    const store = new (class extends InMemoryMetricsStore {
      override variantsOf(workflowId: string) {
        asked.push(`variantsOf ${workflowId}`);
        return super.variantsOf(workflowId);
      }
      override readBuckets(...args: Parameters<InMemoryMetricsStore['readBuckets']>) {
        asked.push(`readBuckets ${args[0]}`);
        return super.readBuckets(...args);
      }
    })();
    const catalog = catalogWith({ baselineVariant: undefined });

    // Act
    const digest = await digestOf([...triageEvents(40), ...draftEvents()], catalog, store);

    // Assess
    expect(asked).toEqual([]);
    expect(digest.workflows.find((w) => w.workflowId === 'drafts')?.variants?.comparisons).toHaveLength(1);
    expect(digest.workflows.find((w) => w.workflowId !== 'drafts')?.variants).toBeNull();
  });
});
