import { DetailType } from '../../../events/detail-types.ts';
import { DAY_MS, dayKey, floorTo, isoWeekOf, isoWeekStart } from '../../../shared/time.ts';
import { around, pick, seededRandom } from './random.ts';

/** One PutEvents entry of the demo, as a producer would send it. */
export interface DemoEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: Record<string, unknown>;
}

interface WeekProfile {
  readonly runsPerWeekday: number;
  readonly runsPerWeekendDay: number;
  readonly overrideRate?: number;
}

interface Story {
  readonly workflowId: string;
  readonly source: string;
  /** By weeks before the current ISO week (0 = this week … 5). */
  readonly week: (weeksAgo: number) => WeekProfile;
  readonly outcome?: { readonly succeeded: number; readonly failed: number };
  readonly usage: ReadonlyArray<{
    readonly model: string;
    readonly provider: string;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly latencyMs: number;
    /** USD per call when the workflow reports cost itself; absent = priced from the catalog. */
    readonly reportedCostUsd?: number;
  }>;
  readonly reportedValueUsd?: number;
  readonly reportedMinutesSaved?: number;
  readonly reviewRate: number;
  /** accepted / edited / rejected / escalated shares when no override rate is given per week. */
  readonly decisions?: readonly [number, number, number, number];
  readonly reasons: readonly string[];
  readonly users: number;
}

/**
 * The demo fleet's stories (see the README): each workflow behaves so that the digest has something
 * true to say about it.
 */
export const DEMO_STORIES: readonly Story[] = [
  {
    workflowId: 'invoice-triage',
    source: 'acme.finance.invoice-bot',
    week: () => ({ runsPerWeekday: 55, runsPerWeekendDay: 6 }),
    outcome: { succeeded: 0.93, failed: 0.05 },
    usage: [
      { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 2500, outputTokens: 300, latencyMs: 1800 },
    ],
    reviewRate: 0.35,
    decisions: [0.9, 0.07, 0.02, 0.01],
    reasons: ['wrong_vendor', 'amount_mismatch'],
    users: 12,
  },
  {
    workflowId: 'support-assistant',
    source: 'acme.support.copilot',
    week: (weeksAgo) => ({
      runsPerWeekday: 80 + (5 - weeksAgo) * 4,
      runsPerWeekendDay: 30,
      overrideRate: [0.34, 0.27, 0.16, 0.12, 0.11, 0.1][weeksAgo] ?? 0.1,
    }),
    outcome: { succeeded: 0.78, failed: 0.12 },
    usage: [
      {
        model: 'text-embedding-3-small',
        provider: 'openai',
        inputTokens: 300,
        outputTokens: 0,
        latencyMs: 120,
        reportedCostUsd: 0.000006,
      },
      {
        model: 'claude-sonnet-4',
        provider: 'anthropic',
        inputTokens: 3000,
        outputTokens: 450,
        latencyMs: 4200,
        reportedCostUsd: 0.01575,
      },
    ],
    reportedValueUsd: 2.8,
    reportedMinutesSaved: 4,
    reviewRate: 0.6,
    reasons: ['hallucination', 'hallucination', 'wrong_policy', 'tone'],
    users: 40,
  },
  {
    workflowId: 'marketing-copy',
    source: 'acme.marketing.copy-pilot',
    week: (weeksAgo) => ({ runsPerWeekday: [1, 2, 3, 5, 6, 8][weeksAgo] ?? 1, runsPerWeekendDay: 0 }),
    outcome: { succeeded: 0.7, failed: 0.2 },
    usage: [{ model: 'gpt-4.1', provider: 'openai', inputTokens: 1200, outputTokens: 900, latencyMs: 6500 }],
    reviewRate: 1,
    decisions: [0.5, 0.4, 0.1, 0],
    reasons: ['off_brand', 'tone'],
    users: 3,
  },
  {
    workflowId: 'code-review-assistant',
    source: 'acme.platform.review-bot',
    week: () => ({ runsPerWeekday: 35, runsPerWeekendDay: 3 }),
    outcome: { succeeded: 0.88, failed: 0.1 },
    usage: [
      {
        model: 'claude-sonnet-4',
        provider: 'anthropic',
        inputTokens: 6000,
        outputTokens: 800,
        latencyMs: 9000,
        reportedCostUsd: 0.03,
      },
    ],
    reportedMinutesSaved: 12,
    reviewRate: 0.9,
    decisions: [0.62, 0.28, 0.08, 0.02],
    reasons: ['false_positive', 'nitpick', 'missed_bug'],
    users: 25,
  },
  {
    // Not in the catalog: still measured. Its embedding model has no price, so its cost is "unpriced", never $0.
    workflowId: 'kb-embeddings',
    source: 'acme.search.indexer',
    week: () => ({ runsPerWeekday: 60, runsPerWeekendDay: 60 }),
    usage: [{ model: 'acme-embed-v2', provider: 'acme', inputTokens: 800, outputTokens: 0, latencyMs: 40 }],
    reviewRate: 0,
    reasons: [],
    users: 0,
  },
];

const WORK_DAY_START_MS = 7 * 3_600_000;
const WORK_DAY_MS = 12 * 3_600_000;

const decisionFor = (random: () => number, story: Story, profile: WeekProfile) => {
  const [accepted, edited, rejected] =
    profile.overrideRate === undefined
      ? (story.decisions ?? [1, 0, 0, 0])
      : [0.96 - profile.overrideRate, profile.overrideRate * 0.6, profile.overrideRate * 0.4, 0.04];
  const r = random();
  if (r < accepted) return 'accepted';
  if (r < accepted + edited) return 'edited';
  if (r < accepted + edited + rejected) return 'rejected';
  return 'escalated';
};

function* storyDay(
  story: Story,
  dayStartMs: number,
  weeksAgo: number,
  anchorWeek: string,
): Generator<DemoEntry> {
  const day = dayKey(dayStartMs);
  const random = seededRandom(anchorWeek, story.workflowId, day);
  const profile = story.week(weeksAgo);
  const weekday = new Date(dayStartMs).getUTCDay();
  const runs = around(
    random,
    weekday === 0 || weekday === 6 ? profile.runsPerWeekendDay : profile.runsPerWeekday,
  );
  for (let run = 0; run < runs; run++) {
    const runId = `${story.workflowId}-${day}-${run}`;
    const id = (kind: string) => `demo.${anchorWeek}.${story.workflowId}.${day}.${run}.${kind}`;
    const startMs = dayStartMs + WORK_DAY_START_MS + Math.floor(random() * WORK_DAY_MS);
    const userId =
      story.users > 0 ? `u-${story.workflowId.slice(0, 3)}-${Math.floor(random() * story.users)}` : undefined;
    const common = (kind: string, offsetMs: number) => ({
      schemaVersion: 1,
      eventId: id(kind),
      workflowId: story.workflowId,
      runId,
      occurredAt: new Date(startMs + offsetMs).toISOString(),
      ...(userId ? { userId } : {}),
    });
    let elapsed = 0;
    for (const [i, call] of story.usage.entries()) {
      const latencyMs = around(random, call.latencyMs, 0.5);
      elapsed += latencyMs;
      yield {
        Source: story.source,
        DetailType: DetailType.usage,
        Detail: {
          ...common(`usage${i}`, elapsed),
          model: call.model,
          provider: call.provider,
          inputTokens: around(random, call.inputTokens, 0.4),
          outputTokens: around(random, call.outputTokens, 0.4),
          latencyMs,
          ...(call.reportedCostUsd !== undefined ? { costUsd: call.reportedCostUsd } : {}),
        },
      };
    }
    if (!story.outcome) continue;
    const r = random();
    const status =
      r < story.outcome.succeeded
        ? 'succeeded'
        : r < story.outcome.succeeded + story.outcome.failed
          ? 'failed'
          : 'abandoned';
    yield {
      Source: story.source,
      DetailType: DetailType.outcome,
      Detail: {
        ...common('outcome', elapsed + 500),
        status,
        durationMs: elapsed + 500,
        ...(status === 'succeeded' && story.reportedValueUsd !== undefined
          ? { valueUsd: Math.round(story.reportedValueUsd * (0.6 + random() * 0.8) * 100) / 100 }
          : {}),
        ...(status === 'succeeded' && story.reportedMinutesSaved !== undefined
          ? { minutesSaved: around(random, story.reportedMinutesSaved, 0.5) }
          : {}),
      },
    };
    if (status !== 'abandoned' && random() < story.reviewRate) {
      const decision = decisionFor(random, story, profile);
      yield {
        Source: story.source,
        DetailType: DetailType.override,
        Detail: {
          ...common('review', elapsed + 60_000 + Math.floor(random() * 600_000)),
          decision,
          reviewerId: `rev-${Math.floor(random() * 6)}`,
          reviewMs: around(random, 45_000, 0.6),
          ...(decision === 'edited' || decision === 'rejected'
            ? { reasonCode: pick(random, story.reasons) }
            : {}),
        },
      };
    }
  }
}

/**
 * The demo fleet's events over the last five weeks before `nowMs`. Deterministic for a given ISO
 * week: the eventIds carry the week, so a second run in the same week re-sends the same ids.
 *
 * @example
 * ```ts
 * const { entries, week } = demoFleet(Date.now());
 * ```
 */
export const demoFleet = (nowMs: number, lookbackDays = 34): { week: string; entries: DemoEntry[] } => {
  const week = isoWeekOf(nowMs);
  const weekStart = isoWeekStart(week);
  const firstDay = floorTo(nowMs - lookbackDays * DAY_MS, DAY_MS);
  const oldestAllowed = nowMs - lookbackDays * DAY_MS;
  const entries: DemoEntry[] = [];
  for (let dayStart = firstDay; dayStart <= nowMs; dayStart += DAY_MS) {
    const weeksAgo = Math.ceil((weekStart - dayStart) / (7 * DAY_MS));
    for (const story of DEMO_STORIES) {
      for (const entry of storyDay(story, dayStart, weeksAgo, week)) {
        const at = Date.parse(entry.Detail.occurredAt as string);
        if (at > oldestAllowed && at <= nowMs) entries.push(entry);
      }
    }
  }
  return { week, entries };
};
