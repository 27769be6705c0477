/**
 * The verdicts of the weekly digest: few, documented, each with a one-sentence reason built from the
 * numbers. Listed in the order the rules are tried; the first that holds is the verdict.
 */
export const Verdict = {
  notEnoughData: 'not-enough-data',
  unproven: 'unproven',
  stop: 'stop',
  fix: 'fix',
  stalled: 'stalled',
  scale: 'scale',
  watch: 'watch',
} as const;
export type VerdictName = (typeof Verdict)[keyof typeof Verdict];

/** Decisions first, then the workflows that need data rather than a decision: the digest's order. */
export const VERDICT_ORDER: readonly VerdictName[] = [
  Verdict.scale,
  Verdict.fix,
  Verdict.stop,
  Verdict.stalled,
  Verdict.unproven,
  Verdict.watch,
  Verdict.notEnoughData,
];

/** How each verdict is shown and what it asks of the owner. */
export const VERDICT_INFO: Record<VerdictName, { readonly label: string; readonly action: string }> = {
  'not-enough-data': {
    label: 'Not enough data',
    action: 'Too few runs this week to judge anything; no other verdict is given below the minimum sample.',
  },
  unproven: {
    label: 'Unproven',
    action: 'ROI cannot be shown: add a catalog value assumption, report valueUsd, or price every model.',
  },
  stop: { label: 'Stop', action: 'Value has not covered cost two weeks running: stop it or rethink it.' },
  fix: {
    label: 'Fix',
    action: 'People are overriding it, or it misses its ROI target: fix before growing it.',
  },
  stalled: {
    label: 'Stalled',
    action: 'Usage or adoption is below target or falling: find out why people are not using it, or stopped.',
  },
  scale: { label: 'Scale', action: 'Pays for itself and people trust it: roll it out further.' },
  watch: {
    label: 'Watch',
    action: 'Nothing is wrong, but the evidence does not yet clear every bar for scaling.',
  },
};

/** The smallest week that gets any verdict other than "not enough data": outcome events (runs). */
export const MIN_RUNS_FOR_VERDICT = 10;
/** The fewest human reviews in a week for the trust rules (acceptance, overrides) to apply. */
export const MIN_REVIEWS_FOR_TRUST = 10;
/** Usage is "falling" when runs drop by at least this share week over week. */
export const FALLING_RUNS_SHARE = 0.25;
/** The override rate is "rising" when it grew by at least this much (and beyond last week's rate at 95 %). */
export const RISING_OVERRIDE_POINTS = 0.05;

/**
 * Adoption trends need an audience: "falling" is judged only when the three weeks before averaged at
 * least this many weekly active users (2 → 1 is not a trend).
 */
export const MIN_ACTIVE_USERS_FOR_TREND = 5;

/**
 * Targets used where the catalog sets none: the one place the defaults live (docs/catalog.md,
 * Targets; docs/portfolio.md for the adoption ones).
 */
export const DEFAULT_TARGETS = {
  maxOverrideRate: 0.25,
  minAcceptanceRate: 0.7,
  minRoi: 0,
  /** Weekly active users ÷ eligibleUsers below this is low adoption ("stalled"). */
  minAdoptionRate: 0.25,
  /** Weekly active users this share below the mean of the three weeks before is falling adoption. */
  maxAdoptionDrop: 0.25,
} as const;

/** A target in force, and whether the catalog set it or the default applied. */
export interface EffectiveTarget {
  readonly value: number;
  readonly source: 'catalog' | 'default';
}

export interface EffectiveTargets {
  readonly maxOverrideRate: EffectiveTarget;
  readonly minAcceptanceRate: EffectiveTarget;
  readonly minRoi: EffectiveTarget;
  readonly minAdoptionRate: EffectiveTarget;
  readonly maxAdoptionDrop: EffectiveTarget;
  /** No default: only a catalog target makes low usage "stalled". */
  readonly minWeeklyRuns: EffectiveTarget | null;
}

/** One rule that held, e.g. `override_above_target`, with its sentence. */
export interface Finding {
  readonly code: string;
  readonly message: string;
}

export interface VerdictResult {
  readonly verdict: VerdictName;
  /** One sentence, built from the numbers. */
  readonly reason: string;
  /** Every rule that held, including those outranked by the verdict's. */
  readonly findings: readonly Finding[];
  readonly targets: EffectiveTargets;
}
