import { WorkflowIdSchema } from '../../events/schemas.ts';
import {
  bucketSizeMs,
  DAY_MS,
  floorTo,
  type GranularityName,
  HOUR_MS,
  isoWeekStart,
} from '../../shared/time.ts';
import { BadRequestError } from './http.ts';

type Query = Readonly<Record<string, string | undefined>>;

/** The longest range each granularity may cover (docs/api.md). */
export const MAX_RANGE_DAYS = { hour: 45, day: 400 } as const;

export const parseWorkflowId = (raw: string): string => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw BadRequestError('invalid_workflow_id', `workflowId "${raw}" is not valid percent-encoding`);
  }
  const parsed = WorkflowIdSchema.safeParse(decoded);
  if (!parsed.success) {
    throw BadRequestError(
      'invalid_workflow_id',
      `workflowId "${decoded}" ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
};

// Date.parse rolls 2026-02-30 over to 2 March; a date that does not exist is refused instead.
const isRealDate = (day: string): boolean => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
};

// Why a well-formed YYYY-MM-DD is not a day of the calendar, for the 400's message.
const whyNotADay = (day: string): string => {
  const [year, month] = day.split('-').map(Number) as [number, number];
  if (month < 1 || month > 12) return `${day} does not exist: there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const name = new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-US', {
    month: 'long',
    timeZone: 'UTC',
  });
  return `${day} does not exist: ${name} ${year} has ${days} days`;
};

const parseInstant = (name: string, value: string): number => {
  // Dates alone are accepted as midnight UTC; anything with a time must carry its zone.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const wellFormed = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text);
  if (wellFormed && !isRealDate(text.slice(0, 10))) {
    throw BadRequestError('invalid_parameter', `${name} ${whyNotADay(text.slice(0, 10))}; got "${value}"`);
  }
  const ms = wellFormed ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw BadRequestError(
      'invalid_parameter',
      `${name} must be an ISO-8601 date or UTC timestamp such as 2026-11-01 or 2026-11-01T00:00:00Z; got "${value}"`,
    );
  }
  return ms;
};

export const parseGranularity = (query: Query, fallback: GranularityName): GranularityName => {
  const value = query.granularity ?? fallback;
  if (value !== 'hour' && value !== 'day') {
    throw BadRequestError('invalid_parameter', `granularity must be "hour" or "day"; got "${value}"`);
  }
  return value;
};

/**
 * Reads `from` (inclusive) and `to` (exclusive). Both must fall on the granularity's boundaries;
 * the defaults are the last 7 days (day) or the last 24 hours (hour), ending with the current bucket.
 */
export const parseRange = (query: Query, granularity: GranularityName, nowMs: number) => {
  const size = bucketSizeMs(granularity);
  const toMs = query.to ? parseInstant('to', query.to) : floorTo(nowMs, size) + size;
  const fromMs = query.from
    ? parseInstant('from', query.from)
    : toMs - (granularity === 'hour' ? 24 * HOUR_MS : 7 * DAY_MS);
  for (const [name, ms] of [
    ['from', fromMs],
    ['to', toMs],
  ] as const) {
    if (ms % size !== 0) {
      throw BadRequestError(
        'invalid_parameter',
        `${name} must be at the start of a UTC ${granularity} for granularity=${granularity}`,
      );
    }
  }
  if (fromMs >= toMs) throw BadRequestError('invalid_range', 'from must be before to');
  const maxDays = MAX_RANGE_DAYS[granularity];
  if (toMs - fromMs > maxDays * DAY_MS) {
    throw BadRequestError(
      'range_too_long',
      `granularity=${granularity} allows at most ${maxDays} days between from and to`,
    );
  }
  return { fromMs, toMs };
};

/** Like parseRange but for raw timestamps (audit trails), with no alignment. */
export const parseInstantRange = (query: Query, nowMs: number, defaultDays: number) => {
  const toMs = query.to ? parseInstant('to', query.to) : nowMs;
  const fromMs = query.from ? parseInstant('from', query.from) : toMs - defaultDays * DAY_MS;
  if (fromMs >= toMs) throw BadRequestError('invalid_range', 'from must be before to');
  return { fromMs, toMs };
};

export const parseLimit = (query: Query, fallback: number, max: number): number => {
  if (query.limit === undefined) return fallback;
  const limit = Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw BadRequestError(
      'invalid_parameter',
      `limit must be an integer from 1 to ${max}; got "${query.limit}"`,
    );
  }
  return limit;
};

export const parseDay = (query: Query, nowMs: number): string => {
  const day = query.date ?? new Date(nowMs).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw BadRequestError('invalid_parameter', `date must be YYYY-MM-DD; got "${day}"`);
  }
  if (!isRealDate(day)) throw BadRequestError('invalid_parameter', `date ${whyNotADay(day)}`);
  return day;
};

/** `week=YYYY-Www` (an ISO week, UTC), `fallback` when absent; a week that does not exist is refused. */
export const parseWeek = (query: Query, fallback: string): string => {
  const week = query.week ?? fallback;
  if (!/^\d{4}-W\d{2}$/.test(week)) {
    throw BadRequestError(
      'invalid_parameter',
      `week must be an ISO week such as ${fallback} (YYYY-Www, UTC); got "${week}"`,
    );
  }
  try {
    isoWeekStart(week);
  } catch {
    const year = week.slice(0, 4);
    throw BadRequestError(
      'invalid_parameter',
      `week ${week} does not exist: ISO year ${year} has ${hasWeek53(year) ? 53 : 52} weeks`,
    );
  }
  return week;
};

const hasWeek53 = (year: string): boolean => {
  try {
    isoWeekStart(`${year}-W53`);
    return true;
  } catch {
    return false;
  }
};
