/** The demo fleet's six workflows and how each behaves week by week. */

/** How much a story's workflow runs in one week, and its override rate that week if it varies. */
export interface WeekProfile {
  readonly runsPerWeekday: number;
  readonly runsPerWeekendDay: number;
  readonly overrideRate?: number;
}

/**
 * One arm of a story's comparison of variants (docs/digest.md, Measured value). Every event of the
 * arm's runs carries its variant.
 */
export interface StoryArm {
  readonly variant: string;
  /** Share of the week's runs dealt to the arm, exact every week (deal.ts). */
  readonly share: number;
  /** People do the work: outcome events only, no usage and no review. */
  readonly humanOnly?: boolean;
  /** Mean durationMs of a run (spread ±50 %), the person's time included; absent: the AI calls' time. */
  readonly durationMs?: number;
  /** The arm's outcome shares; absent: the story's. */
  readonly outcome?: { readonly succeeded: number; readonly failed: number };
  /** The arm's override rate as a multiple of the week's (stories with an override rate per week). */
  readonly overrideFactor?: number;
}

export interface Story {
  readonly workflowId: string;
  readonly source: string;
  /** By weeks before the current ISO week (0 = this week … 5). */
  readonly week: (weeksAgo: number) => WeekProfile;
  /** Shares of succeeded and failed runs; the rest are abandoned. Absent: usage only, no outcomes. */
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
  /** Variants compared with the catalog's baseline; absent: every run is the default variant. */
  readonly arms?: readonly StoryArm[];
}

/**
 * The demo fleet's stories (see the README, "What you see"): each workflow behaves so that the
 * digest has something true to say about it, the same in every week (test/unit/demo-stories.test.ts):
 * invoice-triage SCALE (on value measured against its human-only arm), support-assistant FIX
 * (overrides above target and rising, prompt v2 overridden more than v1), marketing-copy
 * UNPROVEN (no value data, falling use) every week, so four weeks running asks whether to stop it,
 * code-review-assistant FIX (overridden above its target; low adoption: 25 of 200 eligible users),
 * expense-audit SCALE every week (a pilot ready to promote once three weeks are archived),
 * kb-embeddings NOT ENOUGH DATA (usage with no price and no outcomes). Rates are exact per week (see
 * deck.ts), so the verdicts do not depend on the seed; the margins to each threshold are wide.
 */
export const DEMO_STORIES: readonly Story[] = [
  {
    workflowId: 'invoice-triage',
    source: 'acme.finance.invoice-bot',
    // Enough runs that its 5 % human-only arm reaches the 30 timed runs a week a measured value needs.
    week: () => ({ runsPerWeekday: 140, runsPerWeekendDay: 20 }),
    outcome: { succeeded: 0.93, failed: 0.05 },
    usage: [
      { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 2500, outputTokens: 300, latencyMs: 1800 },
    ],
    reviewRate: 0.35,
    decisions: [0.9, 0.07, 0.02, 0.01],
    reasons: ['wrong_vendor', 'amount_mismatch'],
    users: 12,
    // A randomised 5 % human-only arm: a clerk triages the invoice alone in about 7 minutes; with the
    // AI, the clerk checks its triage in about 2.5 minutes (the run's duration includes that check).
    arms: [
      { variant: 'ai', share: 0.95, durationMs: 150_000 },
      {
        variant: 'human',
        share: 0.05,
        humanOnly: true,
        durationMs: 420_000,
        outcome: { succeeded: 0.95, failed: 0.05 },
      },
    ],
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
    // Agents choose which prompt drafts their reply (observational): prompt v2 is overridden far more
    // often than v1, which is why the week's override rate is up. The week's rate is the mean of both.
    arms: [
      { variant: 'prompt-v1', share: 0.5, overrideFactor: 0.6 },
      { variant: 'prompt-v2', share: 0.5, overrideFactor: 1.4 },
    ],
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
    decisions: [0.44, 0.38, 0.15, 0.03],
    reasons: ['false_positive', 'nitpick', 'missed_bug'],
    users: 25,
  },
  {
    // A pilot that pays and is trusted every week: the portfolio's "ready to promote" (docs/portfolio.md).
    workflowId: 'expense-audit',
    source: 'acme.finance.expense-audit',
    week: () => ({ runsPerWeekday: 40, runsPerWeekendDay: 4 }),
    outcome: { succeeded: 0.9, failed: 0.06 },
    usage: [
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 1800,
        outputTokens: 250,
        latencyMs: 1500,
        reportedCostUsd: 0.0004,
      },
    ],
    reviewRate: 0.5,
    decisions: [0.92, 0.05, 0.02, 0.01],
    reasons: ['policy_misread', 'missing_receipt'],
    users: 16,
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
