import { DetailType } from '../../../events/detail-types.ts';
import { DAY_MS, dayKey, isoWeekOf, isoWeekStart } from '../../../shared/time.ts';
import { dealWeek, isOverride } from './deal.ts';
import { around, pick, seededRandom } from './random.ts';
import { DEMO_STORIES, type Story } from './stories.ts';

export { DEMO_STORIES } from './stories.ts';

/** One PutEvents entry of the demo, as a producer would send it. */
export interface DemoEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: Record<string, unknown>;
}

const WORK_DAY_START_MS = 7 * 3_600_000;
const WORK_DAY_MS = 12 * 3_600_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * One ISO week of a story. Run counts follow the profile exactly and outcomes, reviews and decisions
 * are dealt from exact decks (deck.ts): the seed moves times, users, tokens and values, never a rate.
 */
function* storyWeek(
  story: Story,
  weekStartMs: number,
  weeksAgo: number,
  anchorWeek: string,
): Generator<DemoEntry> {
  const random = seededRandom(anchorWeek, story.workflowId, dayKey(weekStartMs));
  const profile = story.week(weeksAgo);
  // Monday to Friday, then the weekend (ISO weeks start on Monday).
  const runsOn = Array.from({ length: 7 }, (_, d) =>
    d < 5 ? profile.runsPerWeekday : profile.runsPerWeekendDay,
  );
  const total = runsOn.reduce((sum, n) => sum + n, 0);
  const dealt = dealWeek(story, profile, total, random);
  let runOfWeek = 0;
  for (const [d, runs] of runsOn.entries()) {
    const dayStartMs = weekStartMs + d * DAY_MS;
    const day = dayKey(dayStartMs);
    for (let run = 0; run < runs; run++, runOfWeek++) {
      const runId = `${story.workflowId}-${day}-${run}`;
      const id = (kind: string) => `demo.${anchorWeek}.${story.workflowId}.${day}.${run}.${kind}`;
      const startMs = dayStartMs + WORK_DAY_START_MS + Math.floor(random() * WORK_DAY_MS);
      const userId =
        story.users > 0
          ? `u-${story.workflowId.slice(0, 3)}-${Math.floor(random() * story.users)}`
          : undefined;
      const { arm, status, decision } = dealt[runOfWeek] ?? {};
      const common = (kind: string, offsetMs: number) => ({
        schemaVersion: 1,
        eventId: id(kind),
        workflowId: story.workflowId,
        ...(arm ? { variant: arm.variant } : {}),
        runId,
        occurredAt: new Date(startMs + offsetMs).toISOString(),
        ...(userId ? { userId } : {}),
      });
      let elapsed = 0;
      for (const [i, call] of arm?.humanOnly ? [] : story.usage.entries()) {
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
      if (!status) continue;
      // An arm with a duration of its own times the whole run, the person's part included.
      const durationMs = arm?.durationMs === undefined ? elapsed + 500 : around(random, arm.durationMs, 0.5);
      yield {
        Source: story.source,
        DetailType: DetailType.outcome,
        Detail: {
          ...common('outcome', durationMs),
          status,
          durationMs,
          ...(status === 'succeeded' && story.reportedValueUsd !== undefined
            ? { valueUsd: Math.round(story.reportedValueUsd * (0.6 + random() * 0.8) * 100) / 100 }
            : {}),
          ...(status === 'succeeded' && story.reportedMinutesSaved !== undefined
            ? { minutesSaved: around(random, story.reportedMinutesSaved, 0.5) }
            : {}),
        },
      };
      if (!decision) continue;
      yield {
        Source: story.source,
        DetailType: DetailType.override,
        Detail: {
          ...common('review', durationMs + 60_000 + Math.floor(random() * 600_000)),
          decision,
          reviewerId: `rev-${Math.floor(random() * 6)}`,
          reviewMs: around(random, 45_000, 0.6),
          ...(isOverride(decision) ? { reasonCode: pick(random, story.reasons) } : {}),
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
  const oldestAllowed = nowMs - lookbackDays * DAY_MS;
  const entries: DemoEntry[] = [];
  for (let weeksAgo = Math.ceil((weekStart - oldestAllowed) / WEEK_MS); weeksAgo >= 0; weeksAgo--) {
    for (const story of DEMO_STORIES) {
      for (const entry of storyWeek(story, weekStart - weeksAgo * WEEK_MS, weeksAgo, week)) {
        const at = Date.parse(entry.Detail.occurredAt as string);
        if (at > oldestAllowed && at <= nowMs) entries.push(entry);
      }
    }
  }
  return { week, entries };
};
