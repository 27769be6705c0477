import { formatCount, formatPercent, formatTargetRate } from '../format/rates.ts';
import type { Adoption } from '../metrics/adoption.ts';
import { type EffectiveTargets, type Finding, MIN_ACTIVE_USERS_FOR_TREND } from './verdict.ts';

/** What the adoption rules read: this week's figures and the trend (oldest first, this week last). */
export type VerdictAdoption = Pick<Adoption, 'activeUsers' | 'eligibleUsers' | 'adoptionRate' | 'trend'>;

export const AdoptionFindingCode = {
  adoptionBelowTarget: 'adoption_below_target',
  adoptionFalling: 'adoption_falling',
} as const;

// Thresholds are decimal; compare with a tolerance, as the other rules do.
const EPSILON = 1e-9;

/**
 * The mean weekly active users of the weeks before this one in the trend; null when any of them is
 * unknown (no userId reported) or there are none.
 */
export const priorMeanActiveUsers = (adoption: VerdictAdoption): number | null => {
  const before = adoption.trend.slice(0, -1).map((w) => w.activeUsers);
  if (before.length === 0 || before.some((users) => users === null)) return null;
  return before.reduce<number>((sum, users) => sum + (users ?? 0), 0) / before.length;
};

/**
 * Findings about adoption (docs/portfolio.md, Adoption): below the catalog's (or default) adoption
 * target, or weekly active users falling against the mean of the weeks before. Nothing is found
 * where it cannot be known: no eligibleUsers means no adoption rate, no userIds means no users.
 *
 * @example
 * ```ts
 * adoptionFindings(adoption, effectiveTargets({}));
 * // [{ code: 'adoption_below_target', message: 'adoption is 13% (25 of 200 eligible users active this week), below the 25% target' }]
 * ```
 */
export const adoptionFindings = (
  adoption: VerdictAdoption | undefined,
  targets: EffectiveTargets,
): Finding[] => {
  if (!adoption || adoption.activeUsers === null) return [];
  const found: Finding[] = [];
  const { activeUsers, adoptionRate, eligibleUsers } = adoption;
  const minRate = targets.minAdoptionRate.value;
  if (adoptionRate !== null && eligibleUsers !== null && adoptionRate < minRate - EPSILON)
    found.push({
      code: AdoptionFindingCode.adoptionBelowTarget,
      message: `adoption is ${formatPercent(adoptionRate, minRate)} (${formatCount(activeUsers)} of ${formatCount(eligibleUsers)} eligible users active this week), below the ${formatTargetRate(minRate)} target`,
    });
  const mean = priorMeanActiveUsers(adoption);
  const drop = targets.maxAdoptionDrop.value;
  if (mean !== null && mean >= MIN_ACTIVE_USERS_FOR_TREND && activeUsers <= mean * (1 - drop) + EPSILON)
    found.push({
      code: AdoptionFindingCode.adoptionFalling,
      message: `weekly active users fell ${formatPercent(1 - activeUsers / mean)} against the ${adoption.trend.length - 1} weeks before (mean ${formatCount(Math.round(mean))} → ${formatCount(activeUsers)})`,
    });
  return found;
};
