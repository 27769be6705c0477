import type { Counters } from './counters.ts';
import { SKETCH_RELATIVE_ERROR } from './distinct-sketch.ts';

/** How many weeks an adoption trend covers, this week included. */
export const ADOPTION_TREND_WEEKS = 4;

/** One week of a workflow's adoption. */
export interface AdoptionWeek {
  /** ISO week, e.g. `2026-W47`. */
  readonly week: string;
  /** Distinct userIds seen that week (from the distinct-users sketch); null when no event carried a userId. */
  readonly activeUsers: number | null;
  readonly runs: number;
  /** `activeUsers ÷ eligibleUsers`; null when either is unknown, never 0 for unknown. */
  readonly adoptionRate: number | null;
  /** `runs ÷ activeUsers`; null when active users are unknown or 0. */
  readonly runsPerActiveUser: number | null;
}

/**
 * A workflow's adoption this week, with the four-week trend (docs/portfolio.md, Adoption). Active
 * users come from the distinct-users sketch: exact up to 96 users, a HyperLogLog estimate beyond.
 */
export interface Adoption extends AdoptionWeek {
  /** The catalog's eligibleUsers; null when the catalog does not say. */
  readonly eligibleUsers: number | null;
  /** True while the sketch still counts exactly. */
  readonly activeUsersExact: boolean;
  /** Relative standard error of `activeUsers`: 0 while exact, 1.04/√1024 ≈ 3.25 % once estimated. */
  readonly activeUsersRelativeError: number;
  /** The last {@link ADOPTION_TREND_WEEKS} weeks, oldest first, ending with this week. */
  readonly trend: readonly AdoptionWeek[];
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

const hadActivity = (c: Counters) =>
  c.values.succeeded + c.values.failed + c.values.abandoned + c.values.usageEvents > 0n;

/** One week's adoption from its counters: users unknown (null) when there was activity but no userId. */
export const adoptionWeek = (
  week: string,
  counters: Counters,
  eligibleUsers: number | null,
): AdoptionWeek => {
  const runs = Number(counters.values.succeeded + counters.values.failed + counters.values.abandoned);
  const estimate = counters.users.estimate;
  // Activity without a single userId says nothing about users: unknown, not 0.
  const activeUsers = estimate === 0 && hadActivity(counters) ? null : estimate;
  return {
    week,
    activeUsers,
    runs,
    adoptionRate: activeUsers === null || eligibleUsers === null ? null : round(activeUsers / eligibleUsers),
    runsPerActiveUser: activeUsers === null || activeUsers === 0 ? null : round(runs / activeUsers, 2),
  };
};

/**
 * A workflow's adoption from the counters of its last weeks, oldest first, this week last.
 *
 * @example
 * ```ts
 * const a = adoptionOf([{ week: '2026-W47', counters }], 200);
 * a.adoptionRate; // 0.125 with 25 weekly active users
 * ```
 */
export const adoptionOf = (
  weeks: ReadonlyArray<{ readonly week: string; readonly counters: Counters }>,
  eligibleUsers: number | null,
): Adoption => {
  const trend = weeks
    .slice(-ADOPTION_TREND_WEEKS)
    .map((w) => adoptionWeek(w.week, w.counters, eligibleUsers));
  const last = weeks.at(-1);
  const current = trend.at(-1);
  if (!last || !current) throw new RangeError('adoption needs at least this week');
  const exact = last.counters.users.isExact;
  return {
    ...current,
    eligibleUsers,
    activeUsersExact: exact,
    activeUsersRelativeError: exact ? 0 : round(SKETCH_RELATIVE_ERROR),
    trend,
  };
};
