import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { ProducerLimits } from '../../shared/limits.ts';
import type { WorkflowVariantsResponse } from '../../shared/query/variants-query.ts';
import { dayRangeAround, getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';
import { mean, referenceNewcombe, referenceWelch, sampleVariance } from '../support/reference-statistics.ts';

// Variant data through the real path (AWS SDK → local bus → queue → aggregate under its IAM
// permissions → DynamoDB Local → query API over HTTP), every comparison checked against reference
// values computed here from the raw values by independent code (test/support/reference-statistics.ts).

const WORKFLOW = 'claims-check';
const LABOR_PER_HOUR = 60;
const catalog = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: WORKFLOW,
        name: 'Claims check',
        ownerTeam: 'claims',
        stage: 'pilot',
        baselineVariant: 'human',
        laborCostPerHourUsd: LABOR_PER_HOUR,
        assignment: 'randomized',
      },
    ],
  },
  'variants test catalog',
);

/** A deterministic spread: the i-th of n values around `centre`, ± `spread`, not symmetric. */
const spreadOf = (i: number, centre: number, spread: number) =>
  Math.round(centre + spread * Math.sin(i * 1.7) + (i % 5) * 10);

interface Arm {
  readonly variant: string | undefined;
  readonly runs: number;
  readonly failedEvery: number;
  readonly durations: number[];
  readonly quality: number[];
  readonly values: number[];
  readonly reviews: Array<'accepted' | 'edited' | 'rejected'>;
  readonly aiCostPerRun: number;
}

const makeArm = (variant: string | undefined, runs: number, centreMs: number, ai: boolean): Arm => {
  const durations = Array.from({ length: runs }, (_, i) => spreadOf(i, centreMs, centreMs / 4));
  return {
    variant,
    runs,
    failedEvery: ai ? 9 : 13,
    durations,
    quality: durations.map(
      (_, i) => Math.round((0.6 + 0.35 * Math.abs(Math.cos(i + (ai ? 0 : 1)))) * 1000) / 1000,
    ),
    values: durations.map(
      (_, i) => Math.round((3 + 2 * Math.abs(Math.sin(i * (ai ? 1.3 : 0.7)))) * 100) / 100,
    ),
    reviews: durations.map((_, i) =>
      i % (ai ? 4 : 6) === 0 ? 'edited' : i % 11 === 0 ? 'rejected' : 'accepted',
    ),
    aiCostPerRun: ai ? 0.0125 : 0,
  };
};

const ARMS = {
  ai: makeArm('ai', 60, 240_000, true),
  human: makeArm('human', 45, 660_000, false),
  untagged: makeArm(undefined, 12, 300_000, true),
};

const entriesOf = (arm: Arm, base: number, bus: string): PutEventsRequestEntry[] => {
  const entries: PutEventsRequestEntry[] = [];
  const tag = arm.variant ?? 'default';
  const add = (type: string, detail: Record<string, unknown>) =>
    entries.push({
      EventBusName: bus,
      Source: 'acme.claims',
      DetailType: type,
      Detail: JSON.stringify(detail),
    });
  arm.durations.forEach((durationMs, i) => {
    const common = {
      schemaVersion: 1,
      workflowId: WORKFLOW,
      runId: `${tag}-${i}`,
      occurredAt: new Date(base + i * 1000).toISOString(),
      ...(arm.variant ? { variant: arm.variant } : {}),
    };
    const failed = i % arm.failedEvery === arm.failedEvery - 1;
    add('ai.workflow.outcome', {
      ...common,
      eventId: `${tag}-o-${i}`,
      status: failed ? 'failed' : 'succeeded',
      durationMs,
      qualityScore: arm.quality[i],
      valueUsd: arm.values[i],
    });
    add('ai.workflow.override', { ...common, eventId: `${tag}-r-${i}`, decision: arm.reviews[i] });
    if (arm.aiCostPerRun > 0)
      add('ai.workflow.usage', {
        ...common,
        eventId: `${tag}-u-${i}`,
        model: 'claims-model',
        inputTokens: 1000,
        outputTokens: 100,
        latencyMs: 800,
        costUsd: arm.aiCostPerRun,
      });
  });
  return entries;
};

const send = async (local: LocalRuntime, entries: PutEventsRequestEntry[]) => {
  const client = localEventBridgeClient(local.eventsUrl);
  for (let i = 0; i < entries.length; i += 10) {
    const { FailedEntryCount } = await client.send(
      new PutEventsCommand({ Entries: entries.slice(i, i + 10) }),
    );
    expect(FailedEntryCount).toBe(0);
  }
};

const succeeded = (arm: Arm) =>
  arm.durations.filter((_, i) => i % arm.failedEvery !== arm.failedEvery - 1).length;
const count = (arm: Arm, ...decisions: string[]) => arm.reviews.filter((d) => decisions.includes(d)).length;

describe('GET /workflows/{id}/variants through the real path', () => {
  let local: LocalRuntime & { dropTable: () => Promise<void> };
  let body: WorkflowVariantsResponse;
  const base = recentHour();

  beforeAll(async () => {
    local = await startTestLocalMode({ catalog });
    await send(local, [
      ...entriesOf(ARMS.ai, base, local.busName),
      ...entriesOf(ARMS.human, base, local.busName),
      ...entriesOf(ARMS.untagged, base, local.busName),
    ]);
    await local.drain();
    const { from, to } = dayRangeAround(base);
    const response = await getJson<WorkflowVariantsResponse>(
      `${local.apiUrl}/workflows/${WORKFLOW}/variants?from=${from}&to=${to}`,
    );
    expect(response.status).toBe(200);
    body = response.body;
  }, 300_000);
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  const variant = (name: string) => {
    const found = body.variants.find((v) => v.variant === name);
    if (!found) throw new Error(`variant ${name} missing: ${body.variants.map((v) => v.variant).join(', ')}`);
    return found.metrics;
  };
  const comparison = (name: string) => {
    const found = body.comparisons.find((c) => c.variant === name);
    if (!found) throw new Error(`no comparison for ${name}`);
    return found;
  };

  it('lists each variant with its own exact counts, the untagged runs as default', () => {
    // Assess
    expect(body.baselineVariant).toBe('human');
    expect(body.assignment).toBe('randomized');
    expect(body.variants.map((v) => v.variant).sort()).toEqual(['ai', 'default', 'human']);
    for (const [name, arm] of [
      ['ai', ARMS.ai],
      ['human', ARMS.human],
      ['default', ARMS.untagged],
    ] as const) {
      const m = variant(name);
      expect(m.runs).toBe(arm.runs);
      expect(m.succeeded).toBe(succeeded(arm));
      expect(m.reviews).toBe(arm.reviews.length);
      expect(m.durationCount).toBe(arm.runs);
      expect(m.durationMsMean).toBeCloseTo(mean(arm.durations), 3);
      expect(m.durationMsStdDev).toBeCloseTo(Math.sqrt(sampleVariance(arm.durations)), 3);
      expect(m.qualityScoreMean).toBeCloseTo(mean(arm.quality), 6);
      expect(m.valueUsdPerRunMean).toBeCloseTo(mean(arm.values), 6);
      expect(m.activeUsers).toBeNull();
    }
    expect(variant('human').aiCostPerRunUsd).toBe(0);
    expect(variant('ai').aiCostPerRunUsd).toBeCloseTo(0.0125, 9);
    expect(variant('human').laborCostPerRunUsd).toBeCloseTo(
      (mean(ARMS.human.durations) * LABOR_PER_HOUR) / 3_600_000,
      6,
    );
  });

  it('compares rates with Newcombe intervals equal to the reference', () => {
    // Assess
    const ai = ARMS.ai;
    const human = ARMS.human;
    const expected = {
      successRate: referenceNewcombe(succeeded(ai), ai.runs, succeeded(human), human.runs),
      acceptanceRate: referenceNewcombe(count(ai, 'accepted'), ai.runs, count(human, 'accepted'), human.runs),
      overrideRate: referenceNewcombe(
        count(ai, 'edited', 'rejected'),
        ai.runs,
        count(human, 'edited', 'rejected'),
        human.runs,
      ),
    };
    for (const [name, reference] of Object.entries(expected)) {
      const actual = comparison('ai')[name as keyof typeof expected];
      expect(actual?.method, name).toBe('newcombe');
      expect(actual?.difference, name).toBeCloseTo(reference.difference, 6);
      expect(actual?.low95, name).toBeCloseTo(reference.low95, 6);
      expect(actual?.high95, name).toBeCloseTo(reference.high95, 6);
    }
  });

  it('compares means with Welch intervals equal to the reference, and prices the time saved', () => {
    // Assess
    const c = comparison('ai');
    const pairs = [
      ['durationMs', ARMS.ai.durations, ARMS.human.durations, 2],
      ['qualityScore', ARMS.ai.quality, ARMS.human.quality, 6],
      ['valueUsdPerRun', ARMS.ai.values, ARMS.human.values, 6],
    ] as const;
    for (const [name, a, b, digits] of pairs) {
      const reference = referenceWelch(a, b);
      const actual = c[name];
      expect(actual?.method, name).toBe('welch');
      expect(actual?.difference, name).toBeCloseTo(reference.difference, digits);
      expect(actual?.low95, name).toBeCloseTo(reference.low95, digits - 1);
      expect(actual?.high95, name).toBeCloseTo(reference.high95, digits - 1);
      expect(actual?.df, name).toBeCloseTo(reference.df, 4);
      expect(actual?.claimed, name).toBe(true);
    }
    const duration = referenceWelch(ARMS.ai.durations, ARMS.human.durations);
    const perMs = LABOR_PER_HOUR / 3_600_000;
    const aiDifference = ARMS.ai.aiCostPerRun - ARMS.human.aiCostPerRun;
    expect(c.costPerRunUsd?.difference).toBeCloseTo(aiDifference + perMs * duration.difference, 4);
    expect(c.costPerRunUsd?.low95).toBeCloseTo(aiDifference + perMs * duration.low95, 4);
    expect(c.measuredValueUsd?.runs).toBe(ARMS.ai.runs);
    expect(c.measuredValueUsd?.estimate).toBeCloseTo(
      -(aiDifference + perMs * duration.difference) * ARMS.ai.runs,
      2,
    );
    expect(c.measuredValueUsd?.low95).toBeCloseTo(
      -(aiDifference + perMs * duration.high95) * ARMS.ai.runs,
      2,
    );
    expect(c.measuredValueUsd?.estimate).toBeGreaterThan(0); // AI runs are faster: a saving, not a loss
    expect(c.possiblyConfounded).toBe(false);
  });

  it('compares the untagged default runs too, but below the minimum sample it claims nothing', () => {
    // Assess: 12 untagged runs are under the 30 values per arm a mean comparison needs.
    const c = comparison('default');
    expect(c.durationMs?.claimed).toBe(false);
    expect(c.measuredValueUsd?.claimed).toBe(false);
    expect(c.durationMs?.difference).toBeCloseTo(
      mean(ARMS.untagged.durations) - mean(ARMS.human.durations),
      2,
    );
  });

  it(`quarantines events of a variant beyond the cap of ${ProducerLimits.variantsPerWorkflow} per workflow`, async () => {
    // Prepare: one run for each of cap + 1 named variants of another workflow.
    const names = Array.from({ length: ProducerLimits.variantsPerWorkflow + 1 }, (_, i) => `arm-${i}`);
    const entries = names.map((name, i) => ({
      EventBusName: local.busName,
      Source: 'acme.claims',
      DetailType: 'ai.workflow.outcome',
      Detail: JSON.stringify({
        schemaVersion: 1,
        eventId: `cap-${i}`,
        workflowId: 'many-arms',
        occurredAt: new Date(base + i * 1000).toISOString(),
        variant: name,
        status: 'succeeded',
      }),
    }));
    // Act: one at a time, so which variant comes last is certain.
    for (const entry of entries) {
      await send(local, [entry]);
      await local.drain();
    }
    // Assess
    const { from, to } = dayRangeAround(base);
    const { body: arms } = await getJson<WorkflowVariantsResponse>(
      `${local.apiUrl}/workflows/many-arms/variants?from=${from}&to=${to}`,
    );
    expect(arms.variants.map((v) => v.variant)).toEqual(names.slice(0, -1));
    const { body: quarantine } = await getJson<{
      events: Array<{ eventId?: string; rejection: { code: string } }>;
    }>(`${local.apiUrl}/quarantine`);
    const refused = quarantine.events.filter((e) => e.rejection.code === 'too_many_variants');
    expect(refused.map((e) => e.eventId)).toEqual([`cap-${names.length - 1}`]);
  });
});
