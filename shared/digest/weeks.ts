import { DAY_MS, isoWeekOf, isoWeekStart } from '../time.ts';

/**
 * The last ISO week (UTC) that has fully ended at `nowMs`.
 *
 * @example
 * ```ts
 * lastFullWeek(Date.parse('2026-11-25T12:00:00Z')); // '2026-W47'
 * ```
 */
export const lastFullWeek = (nowMs: number): string => isoWeekOf(nowMs - 7 * DAY_MS);

/** The ISO week before `week`. */
export const previousWeek = (week: string): string => isoWeekOf(isoWeekStart(week) - DAY_MS);

/**
 * The `count` ISO weeks ending with `week`, oldest first.
 *
 * @example
 * ```ts
 * weeksEndingWith('2026-W02', 3); // ['2025-W52', '2026-W01', '2026-W02']
 * ```
 */
export const weeksEndingWith = (week: string, count: number): string[] => {
  const weeks = [week];
  while (weeks.length < count) weeks.unshift(previousWeek(weeks[0] ?? week));
  return weeks;
};
