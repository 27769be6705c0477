import { shuffledDeck } from './deck.ts';
import type { Story, StoryArm, WeekProfile } from './stories.ts';

const Decision = {
  accepted: 'accepted',
  edited: 'edited',
  rejected: 'rejected',
  escalated: 'escalated',
} as const;
export type DecisionName = keyof typeof Decision;

const Status = { succeeded: 'succeeded', failed: 'failed', abandoned: 'abandoned' } as const;
export type StatusName = keyof typeof Status;

/** Whether a decision is an override (the reviewer changed or refused the AI's output). */
export const isOverride = (decision: DecisionName): boolean =>
  decision === Decision.edited || decision === Decision.rejected;

/** What one run of a week was dealt: its arm (when the story compares variants), outcome and review. */
export interface DealtRun {
  readonly arm: StoryArm | undefined;
  /** Undefined for a story without outcomes (usage only). */
  readonly status: StatusName | undefined;
  /** The review's decision; undefined when the run was not reviewed. */
  readonly decision: DecisionName | undefined;
}

const decisionShares = (story: Story, overrideRate: number | undefined): Record<DecisionName, number> => {
  const [accepted, edited, rejected, escalated] =
    overrideRate === undefined
      ? (story.decisions ?? [1, 0, 0, 0])
      : [0.96 - overrideRate, overrideRate * 0.6, overrideRate * 0.4, 0.04];
  return { accepted, edited, rejected, escalated };
};

const statusShares = (outcome: NonNullable<Story['outcome']>): Record<StatusName, number> => ({
  succeeded: outcome.succeeded,
  failed: outcome.failed,
  abandoned: Math.max(0, 1 - outcome.succeeded - outcome.failed),
});

/** Outcomes, reviews and decisions of `size` runs of one arm (or of a story without arms), in order. */
const dealArm = (
  story: Story,
  profile: WeekProfile,
  arm: StoryArm | undefined,
  size: number,
  random: () => number,
) => {
  const outcome = arm?.outcome ?? story.outcome;
  const statuses = outcome ? shuffledDeck(size, statusShares(outcome), random) : [];
  const reviewRate = arm?.humanOnly ? 0 : story.reviewRate;
  const reviewable = statuses.filter((status) => status !== Status.abandoned).length;
  const reviewed = shuffledDeck(reviewable, { yes: reviewRate, no: 1 - reviewRate }, random);
  const overrideRate =
    profile.overrideRate === undefined ? undefined : profile.overrideRate * (arm?.overrideFactor ?? 1);
  const decisions = shuffledDeck(
    reviewed.filter((r) => r === 'yes').length,
    decisionShares(story, overrideRate),
    random,
  );
  return { statuses, reviewed, decisions };
};

/**
 * Deals a week of `total` runs from exact decks (deck.ts): the arm of each run first (so each arm's
 * share is exact every week), then per arm its outcomes, which runs are reviewed and the decisions.
 * The seed only orders the cards, so every week's rates, per arm too, are the story's. A story
 * without arms draws in the same order as before arms existed, so its events are unchanged.
 *
 * @example
 * ```ts
 * const runs = dealWeek(story, story.week(1), 740, seededRandom('2026-W47'));
 * runs.filter((run) => run.arm?.variant === 'human').length; // 37 (5 % of 740)
 * ```
 */
export const dealWeek = (
  story: Story,
  profile: WeekProfile,
  total: number,
  random: () => number,
): DealtRun[] => {
  const arms = story.arms ?? [];
  const armDeck =
    arms.length === 0
      ? []
      : shuffledDeck(total, Object.fromEntries(arms.map((arm) => [arm.variant, arm.share])), random);
  const byArm = new Map(
    (arms.length === 0 ? [undefined] : arms).map((arm) => {
      const size = arm === undefined ? total : armDeck.filter((variant) => variant === arm.variant).length;
      return [arm?.variant, { arm, ...dealArm(story, profile, arm, size, random) }] as const;
    }),
  );
  return Array.from({ length: total }, (_, run) => {
    const deal = byArm.get(armDeck[run]);
    const status = deal?.statuses.shift();
    const reviewed = status !== undefined && status !== Status.abandoned && deal?.reviewed.shift() === 'yes';
    return {
      arm: deal?.arm,
      status,
      decision: reviewed ? (deal?.decisions.shift() ?? Decision.accepted) : undefined,
    };
  });
};
