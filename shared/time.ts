/** UTC bucketing of event time: aggregation is by when an event occurred, not when it arrived. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const Granularity = { hour: 'hour', day: 'day' } as const;
export type GranularityName = (typeof Granularity)[keyof typeof Granularity];

/** `2026-11-23T10` for any instant in that UTC hour. */
export const hourKey = (ms: number): string => new Date(ms).toISOString().slice(0, 13);

/** `2026-11-23` for any instant in that UTC day. */
export const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const bucketKey = (granularity: GranularityName, ms: number): string =>
  granularity === Granularity.hour ? hourKey(ms) : dayKey(ms);

export const bucketSizeMs = (granularity: GranularityName): number =>
  granularity === Granularity.hour ? HOUR_MS : DAY_MS;

/** Start of the bucket named by a key, as an ISO timestamp (`2026-11-23T10:00:00.000Z`). */
export const bucketStartIso = (key: string): string =>
  key.length === 13 ? `${key}:00:00.000Z` : `${key}T00:00:00.000Z`;

export const floorTo = (ms: number, sizeMs: number): number => Math.floor(ms / sizeMs) * sizeMs;

/**
 * The ISO-8601 week (`2026-W48`) containing an instant, in UTC.
 *
 * @example
 * ```ts
 * isoWeekOf(Date.parse('2026-01-01T00:00:00Z')); // '2026-W01'
 * ```
 */
export const isoWeekOf = (ms: number): string => {
  const date = new Date(floorTo(ms, DAY_MS));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday = 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday decides the year
  const year = date.getUTCFullYear();
  const week = 1 + Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
};

/** Monday 00:00 UTC of an ISO week (`2026-W48`), epoch milliseconds. */
export const isoWeekStart = (week: string): number => {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new RangeError(`not an ISO week (YYYY-Www): ${week}`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  const start = jan4 - jan4Weekday * DAY_MS + (number - 1) * 7 * DAY_MS;
  if (number < 1 || isoWeekOf(start) !== week) throw new RangeError(`no such ISO week: ${week}`);
  return start;
};
