import { describe, expect, it } from 'vitest';
import { ApiError } from '../../functions/api/http.ts';
import {
  parseDay,
  parseGranularity,
  parseLimit,
  parseRange,
  parseWorkflowId,
} from '../../functions/api/params.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NOW_MS = Date.parse('2026-11-23T10:17:42.123Z');
const at = (iso: string): number => Date.parse(iso);

/** The ApiError `act` throws; fails the test when it throws anything else or nothing. */
const apiErrorOf = (act: () => unknown): ApiError => {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
};

describe('parseGranularity', () => {
  it.each(['hour', 'day'] as const)('accepts %s', (granularity) => {
    // Act
    const result = parseGranularity({ granularity }, 'day');

    // Assess
    expect(result).toBe(granularity);
  });

  it.each(['hour', 'day'] as const)('falls back to %s when none is given', (fallback) => {
    // Act
    const result = parseGranularity({}, fallback);

    // Assess
    expect(result).toBe(fallback);
  });

  it.each(['week', 'HOUR', 'hours', '', 'minute'])('answers 400 to granularity "%s"', (granularity) => {
    // Act
    const error = apiErrorOf(() => parseGranularity({ granularity }, 'day'));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('granularity');
    expect(error.message).toContain('hour');
    expect(error.message).toContain('day');
  });
});

describe('parseRange: defaults', () => {
  it('defaults a day range to the last 7 days, ending with the end of today (UTC)', () => {
    // Act
    const range = parseRange({}, 'day', NOW_MS);

    // Assess
    expect(range).toEqual({ fromMs: at('2026-11-17T00:00:00Z'), toMs: at('2026-11-24T00:00:00Z') });
    expect(range.toMs - range.fromMs).toBe(7 * DAY_MS);
  });

  it('defaults an hour range to the last 24 hours, ending with the end of the current hour', () => {
    // Act
    const range = parseRange({}, 'hour', NOW_MS);

    // Assess
    expect(range).toEqual({ fromMs: at('2026-11-22T11:00:00Z'), toMs: at('2026-11-23T11:00:00Z') });
    expect(range.toMs - range.fromMs).toBe(24 * HOUR_MS);
  });

  it('ends the default range after the current bucket even exactly at a bucket boundary', () => {
    // Prepare
    const midnight = at('2026-11-23T00:00:00Z');

    // Act
    const range = parseRange({}, 'day', midnight);

    // Assess
    expect(range.toMs).toBe(at('2026-11-24T00:00:00Z'));
  });

  it('counts the default from back from a given to', () => {
    // Act
    const range = parseRange({ to: '2026-11-10' }, 'day', NOW_MS);

    // Assess
    expect(range).toEqual({ fromMs: at('2026-11-03T00:00:00Z'), toMs: at('2026-11-10T00:00:00Z') });
  });
});

describe('parseRange: explicit values', () => {
  it('reads date-only values as midnight UTC', () => {
    // Act
    const range = parseRange({ from: '2026-11-01', to: '2026-11-08' }, 'day', NOW_MS);

    // Assess
    expect(range).toEqual({ fromMs: at('2026-11-01T00:00:00Z'), toMs: at('2026-11-08T00:00:00Z') });
  });

  it('reads aligned UTC timestamps for hour granularity', () => {
    // Act
    const range = parseRange(
      { from: '2026-11-20T10:00:00Z', to: '2026-11-20T13:00:00.000Z' },
      'hour',
      NOW_MS,
    );

    // Assess
    expect(range).toEqual({ fromMs: at('2026-11-20T10:00:00Z'), toMs: at('2026-11-20T13:00:00Z') });
  });

  it.each([
    ['hour', 45],
    ['day', 400],
  ] as const)('allows a %s range of exactly %i days', (granularity, days) => {
    // Prepare
    const from = '2025-01-01T00:00:00Z';
    const to = new Date(at(from) + days * DAY_MS).toISOString();

    // Act
    const range = parseRange({ from, to }, granularity, NOW_MS);

    // Assess
    expect(range.toMs - range.fromMs).toBe(days * DAY_MS);
  });
});

describe('parseRange: bad input answers 400', () => {
  it.each([
    [
      'from is mid-day for day granularity',
      'day',
      { from: '2026-11-01T10:00:00Z', to: '2026-11-08' },
      'from',
    ],
    ['to is mid-day for day granularity', 'day', { from: '2026-11-01', to: '2026-11-08T06:00:00Z' }, 'to'],
    [
      'from is mid-hour for hour granularity',
      'hour',
      { from: '2026-11-20T10:30:00Z', to: '2026-11-20T12:00:00Z' },
      'from',
    ],
    [
      'to has seconds for hour granularity',
      'hour',
      { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:01Z' },
      'to',
    ],
    [
      'to has milliseconds for hour granularity',
      'hour',
      { from: '2026-11-20T10:00:00Z', to: '2026-11-20T12:00:00.001Z' },
      'to',
    ],
  ] as const)('when %s', (_name, granularity, query, field) => {
    // Act
    const error = apiErrorOf(() => parseRange(query, granularity, NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain(field);
    expect(error.message).toContain(granularity);
  });

  it.each([
    ['from equals to', { from: '2026-11-08', to: '2026-11-08' }],
    ['from is after to', { from: '2026-11-09', to: '2026-11-08' }],
  ])('when %s', (_name, query) => {
    // Act
    const error = apiErrorOf(() => parseRange(query, 'day', NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/from must be before to/);
  });

  it.each([
    ['an hour range of 45 days and 1 hour', 'hour', 45 * DAY_MS + HOUR_MS, '45 days'],
    ['an hour range of 46 days', 'hour', 46 * DAY_MS, '45 days'],
    ['a day range of 401 days', 'day', 401 * DAY_MS, '400 days'],
    ['a day range of 3 years', 'day', 3 * 365 * DAY_MS, '400 days'],
  ] as const)('when asked for %s', (_name, granularity, lengthMs, limit) => {
    // Prepare
    const from = '2024-01-01T00:00:00Z';
    const to = new Date(at(from) + lengthMs).toISOString();

    // Act
    const error = apiErrorOf(() => parseRange({ from, to }, granularity, NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain(limit);
    expect(error.message).toContain(granularity);
  });

  it.each([
    ['local time without a zone', '2026-11-01T00:00:00'],
    ['a slash-separated date', '2026/11/01'],
    ['a day-first date', '01-11-2026'],
    ['a word', 'yesterday'],
    ['epoch milliseconds', '1793491200000'],
    ['a month that does not exist', '2026-13-01'],
    ['a day that does not exist', '2026-02-30'],
    ['April 31st', '2026-04-31'],
    ['a space instead of T', '2026-11-01 00:00:00Z'],
    ['an empty hour', '2026-11-01TZ'],
  ])('when from is %s', (_name, from) => {
    // Act
    const error = apiErrorOf(() => parseRange({ from, to: '2026-11-08' }, 'day', NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('from');
    expect(error.message).toContain(from);
  });

  it('when to is malformed, naming to', () => {
    // Act
    const error = apiErrorOf(() => parseRange({ from: '2026-11-01', to: 'next week' }, 'day', NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('to');
    expect(error.message).toContain('next week');
  });
});

describe('parseWorkflowId', () => {
  it.each([
    ['invoice-bot', 'invoice-bot'],
    ['a', 'a'],
    ['0day.triage_v2', '0day.triage_v2'],
    ['invoice%2Dbot', 'invoice-bot'],
  ])('accepts %s as %s', (raw, expected) => {
    // Act
    const workflowId = parseWorkflowId(raw);

    // Assess
    expect(workflowId).toBe(expected);
  });

  it.each([
    ['upper case', 'Invoice-Bot'],
    ['empty', ''],
    ['65 characters', 'w'.repeat(65)],
    ['a leading dash', '-bot'],
    ['an encoded space', 'invoice%20bot'],
    ['an encoded slash', 'invoice%2Fbot'],
    ['a colon', 'wf:1'],
  ])('answers 400 to a workflow id with %s', (_name, raw) => {
    // Act
    const error = apiErrorOf(() => parseWorkflowId(raw));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('workflowId');
  });

  it.each([
    ['a lone percent sign', 'wf%'],
    ['a truncated escape', 'wf%E0%A4%A'],
    ['an invalid escape', 'wf%zz'],
  ])('answers 400, not a crash, to a workflow id with %s', (_name, raw) => {
    // Act
    const error = apiErrorOf(() => parseWorkflowId(raw));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('workflowId');
  });
});

describe('parseLimit', () => {
  it('falls back when no limit is given', () => {
    // Act
    const limit = parseLimit({}, 100, 1000);

    // Assess
    expect(limit).toBe(100);
  });

  it.each([
    ['1', 1],
    ['250', 250],
    ['1000', 1000],
  ])('accepts limit=%s', (raw, expected) => {
    // Act
    const limit = parseLimit({ limit: raw }, 100, 1000);

    // Assess
    expect(limit).toBe(expected);
  });

  it.each(['0', '-1', '1.5', 'abc', '', '1001', 'NaN', 'Infinity'])('answers 400 to limit="%s"', (raw) => {
    // Act
    const error = apiErrorOf(() => parseLimit({ limit: raw }, 100, 1000));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('limit');
    expect(error.message).toContain('1000');
  });
});

describe('parseDay', () => {
  it('defaults to the current UTC day', () => {
    // Prepare: 23:30 on the 22nd in UTC−02:00 is already the 23rd in UTC.
    const now = at('2026-11-22T23:30:00-02:00');

    // Act
    const day = parseDay({}, now);

    // Assess
    expect(day).toBe('2026-11-23');
  });

  it('accepts a YYYY-MM-DD date', () => {
    // Act
    const day = parseDay({ date: '2024-02-29' }, NOW_MS);

    // Assess
    expect(day).toBe('2024-02-29');
  });

  it.each([
    ['a timestamp', '2026-11-23T00:00:00Z'],
    ['a slash-separated date', '2026/11/23'],
    ['a word', 'today'],
  ])('answers 400 to %s', (_name, date) => {
    // Act
    const error = apiErrorOf(() => parseDay({ date }, NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('YYYY-MM-DD');
    expect(error.message).toContain(date);
  });

  it.each([
    [
      'a day past the end of its month',
      '2026-02-30',
      'date 2026-02-30 does not exist: February 2026 has 28 days',
    ],
    [
      'February 29th of a common year',
      '2026-02-29',
      'date 2026-02-29 does not exist: February 2026 has 28 days',
    ],
    ['April 31st', '2026-04-31', 'date 2026-04-31 does not exist: April 2026 has 30 days'],
    ['a month that does not exist', '2026-13-01', 'date 2026-13-01 does not exist: there is no month 13'],
  ])('answers 400 to %s, saying the date does not exist', (_name, date, message) => {
    // Act
    const error = apiErrorOf(() => parseDay({ date }, NOW_MS));

    // Assess
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(message);
  });
});
