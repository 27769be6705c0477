import { describe, expect, it } from 'vitest';
import { NANOS_PER_USD, nanosToUsd, usdToNanos } from '../../shared/money.ts';
import { DAY_MS, dayKey, HOUR_MS, hourKey, isoWeekOf, isoWeekStart } from '../../shared/time.ts';

/** The USD amount `nanos` denotes, written out in decimal and parsed once (the nearest double). */
const decimalUsd = (nanos: bigint): number => {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const digits = abs.toString().padStart(10, '0');
  return Number(`${sign}${digits.slice(0, -9)}.${digits.slice(-9)}`);
};

describe('usdToNanos', () => {
  it.each([
    [0, 0n],
    [1, 1_000_000_000n],
    [0.1, 100_000_000n],
    [0.3, 300_000_000n],
    [1.1, 1_100_000_000n],
    [19.99, 19_990_000_000n],
    [0.000001, 1_000n],
    [0.0000002, 200n],
    [0.000000001, 1n],
    [4.56, 4_560_000_000n],
  ])('converts $%s to exactly %s nano-USD', (usd, nanos) => {
    // Act
    const result = usdToNanos(usd);

    // Assess
    expect(result).toBe(nanos);
  });

  it.each([
    [1.005, 1_005_000_000n],
    [8.2, 8_200_000_000n],
  ])('avoids the binary drift that multiplying $%s by 1e9 would introduce', (usd, nanos) => {
    // Prepare
    const naive = usd * 1e9;

    // Act
    const result = usdToNanos(usd);

    // Assess
    expect(naive).not.toBe(Number(nanos));
    expect(result).toBe(nanos);
  });

  it.each([
    ['a million dollars', 1e6, 10n ** 15n],
    ['a trillion dollars', 1e12, 10n ** 21n],
    ['2^53 dollars', 2 ** 53, 9_007_199_254_740_992n * NANOS_PER_USD],
    ['1e21 dollars (exponent notation)', 1e21, 10n ** 30n],
    ['a 9-decimal amount past 2^53 nanos', 12_345_678.901234567, 12_345_678_901_234_567n],
  ])('converts %s without losing digits', (_name, usd, nanos) => {
    // Act
    const result = usdToNanos(usd);

    // Assess
    expect(result).toBe(nanos);
  });

  it.each([
    ['1.5 nanos rounds up', 0.0000000015, 2n],
    ['2.5 nanos rounds away from zero, not to even', 0.0000000025, 3n],
    ['0.5 nanos rounds up to 1', 0.0000000005, 1n],
    ['0.49 nanos rounds down to 0', 0.00000000049, 0n],
    ['0.1 nanos rounds down to 0', 0.0000000001, 0n],
    ['$1 and half a nano rounds up', 1.0000000005, 1_000_000_001n],
    ['$1 and 0.4 nanos rounds down', 1.0000000004, 1_000_000_000n],
    ['-1.5 nanos rounds away from zero', -0.0000000015, -2n],
    ['-2.5 nanos rounds away from zero', -0.0000000025, -3n],
    ['-$1 and half a nano rounds away from zero', -1.0000000005, -1_000_000_001n],
  ])('rounds half away from zero: %s', (_name, usd, nanos) => {
    // Act
    const result = usdToNanos(usd);

    // Assess
    expect(result).toBe(nanos);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('refuses %s', (_name, usd) => {
    // Act
    const act = () => usdToNanos(usd);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('nanosToUsd', () => {
  it.each([
    [0n, 0],
    [1n, 0.000000001],
    [200n, 0.0000002],
    [1_000n, 0.000001],
    [100_000_000n, 0.1],
    [1_000_000_000n, 1],
    [19_990_000_000n, 19.99],
    [-1_500_000_000n, -1.5],
    [-200n, -0.0000002],
  ])('shows %s nano-USD as $%s', (nanos, usd) => {
    // Act
    const result = nanosToUsd(nanos);

    // Assess
    expect(result).toBe(usd);
  });

  it.each([
    ['$1.14', 1_140_000_000n, 1.14],
    ['$1.36', 1_360_000_000n, 1.36],
    ['$1.57', 1_570_000_000n, 1.57],
    ['$1.66', 1_660_000_000n, 1.66],
  ])('shows %s as the same number a producer would write (the nearest double)', (_name, nanos, usd) => {
    // Act
    const result = nanosToUsd(nanos);

    // Assess
    expect(result).toBe(decimalUsd(nanos));
    expect(result).toBe(usd);
  });

  it('returns the nearest double for every whole-cent amount up to $10,000', () => {
    // Prepare
    const mismatches: string[] = [];

    // Act
    for (let cents = 0n; cents <= 1_000_000n; cents++) {
      const nanos = cents * 10_000_000n;
      if (nanosToUsd(nanos) !== decimalUsd(nanos)) mismatches.push(`${nanos}n → ${nanosToUsd(nanos)}`);
    }

    // Assess
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it.each([
    9_007_199_254_740_993n, // 2^53 + 1 nanos: Number(nanos) / 1e9 would lose the last digit
    12_345_678_901_234_567n,
    99_999_999_999_999_999n,
  ])('reads a sum past 2^53 nanos (%s) without going through a lossy float first', (nanos) => {
    // Act
    const result = nanosToUsd(nanos);

    // Assess
    expect(result).toBe(decimalUsd(nanos));
  });

  it.each([0.1, 0.0000002, 19.99, 1234.56789, 0.000001, 7])('round-trips $%s through nano-USD', (usd) => {
    // Act
    const result = nanosToUsd(usdToNanos(usd));

    // Assess
    expect(result).toBe(usd);
  });
});

describe('hourKey and dayKey', () => {
  it.each([
    ['2026-11-23T10:00:00.000Z', '2026-11-23T10', '2026-11-23'],
    ['2026-11-23T10:59:59.999Z', '2026-11-23T10', '2026-11-23'],
    ['2026-11-23T23:59:59.999Z', '2026-11-23T23', '2026-11-23'],
    ['2026-11-24T00:00:00.000Z', '2026-11-24T00', '2026-11-24'],
    ['2024-02-29T12:30:00.000Z', '2024-02-29T12', '2024-02-29'],
    ['2026-12-31T23:30:00.000Z', '2026-12-31T23', '2026-12-31'],
  ])('buckets %s into hour %s and day %s (UTC)', (iso, hour, day) => {
    // Prepare
    const ms = Date.parse(iso);

    // Act
    const keys = [hourKey(ms), dayKey(ms)];

    // Assess
    expect(keys).toEqual([hour, day]);
  });

  it('uses UTC, not the local zone, for an instant given with an offset', () => {
    // Prepare: 00:30 in UTC+02:00 is 22:30 UTC the day before.
    const ms = Date.parse('2026-11-24T00:30:00+02:00');

    // Act
    const keys = [hourKey(ms), dayKey(ms)];

    // Assess
    expect(keys).toEqual(['2026-11-23T22', '2026-11-23']);
  });

  it('gives every instant of an hour the same key and the next hour a new one', () => {
    // Prepare
    const start = Date.parse('2026-03-29T01:00:00Z');

    // Act
    const inside = new Set([start, start + 1, start + HOUR_MS / 2, start + HOUR_MS - 1].map(hourKey));
    const next = hourKey(start + HOUR_MS);

    // Assess
    expect([...inside]).toEqual(['2026-03-29T01']);
    expect(next).toBe('2026-03-29T02');
  });
});

describe('isoWeekOf', () => {
  it.each([
    // Published examples (ISO 8601 week date, e.g. the Wikipedia table of year boundaries).
    ['2005-01-01', '2004-W53'],
    ['2007-01-01', '2007-W01'],
    ['2008-12-28', '2008-W52'],
    ['2008-12-29', '2009-W01'],
    ['2010-01-03', '2009-W53'],
    // The boundaries named in the brief.
    ['2020-12-31', '2020-W53'],
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-29', '2024-W52'],
    ['2024-12-30', '2025-W01'],
    ['2025-12-28', '2025-W52'],
    ['2025-12-29', '2026-W01'],
    ['2026-01-01', '2026-W01'],
    ['2026-11-23', '2026-W48'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
  ])('puts %s in %s', (date, week) => {
    // Prepare
    const noon = Date.parse(`${date}T12:00:00Z`);

    // Act
    const result = isoWeekOf(noon);

    // Assess
    expect(result).toBe(week);
  });

  it('decides by the UTC day: the last millisecond of Sunday is still the old week', () => {
    // Prepare
    const sundayEnd = Date.parse('2026-11-29T23:59:59.999Z');

    // Act
    const weeks = [isoWeekOf(sundayEnd), isoWeekOf(sundayEnd + 1)];

    // Assess
    expect(weeks).toEqual(['2026-W48', '2026-W49']);
  });
});

describe('isoWeekStart', () => {
  it.each([
    ['2020-W53', '2020-12-28T00:00:00.000Z'],
    ['2021-W01', '2021-01-04T00:00:00.000Z'],
    ['2025-W01', '2024-12-30T00:00:00.000Z'],
    ['2026-W01', '2025-12-29T00:00:00.000Z'],
    ['2026-W48', '2026-11-23T00:00:00.000Z'],
    ['2026-W53', '2026-12-28T00:00:00.000Z'],
    ['2009-W53', '2009-12-28T00:00:00.000Z'],
  ])('starts %s on Monday %s', (week, start) => {
    // Act
    const ms = isoWeekStart(week);

    // Assess
    expect(new Date(ms).toISOString()).toBe(start);
  });

  it('is the inverse of isoWeekOf for every day from 2019 to 2028', () => {
    // Prepare
    const from = Date.parse('2019-01-01T00:00:00Z');
    const to = Date.parse('2029-01-01T00:00:00Z');
    const problems: string[] = [];

    // Act
    for (let day = from; day < to; day += DAY_MS) {
      const instant = day + 13 * HOUR_MS;
      const week = isoWeekOf(instant);
      const start = isoWeekStart(week);
      const isMondayMidnight = new Date(start).getUTCDay() === 1 && start % DAY_MS === 0;
      if (
        !isMondayMidnight ||
        instant < start ||
        instant >= start + 7 * DAY_MS ||
        isoWeekOf(start) !== week
      ) {
        problems.push(`${new Date(instant).toISOString()} → ${week} → ${new Date(start).toISOString()}`);
      }
    }

    // Assess
    expect(problems).toEqual([]);
  });

  it('knows which years have 53 ISO weeks (those starting on Thursday, or leap years starting on Wednesday)', () => {
    // Prepare: long years between 2015 and 2032 by the calendar rule, computed independently.
    const years = Array.from({ length: 18 }, (_, i) => 2015 + i);
    const hasLongYear = (year: number): boolean => {
      const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      return jan1 === 4 || (leap && jan1 === 3);
    };

    // Act
    const accepted = years.filter((year) => {
      try {
        isoWeekStart(`${year}-W53`);
        return true;
      } catch {
        return false;
      }
    });

    // Assess
    expect(accepted).toEqual(years.filter(hasLongYear));
    expect(accepted).toEqual([2015, 2020, 2026, 2032]);
  });

  it.each([
    ['a week 53 that 2025 does not have', '2025-W53'],
    ['week zero', '2026-W00'],
    ['week 54', '2026-W54'],
    ['a one-digit week', '2026-W1'],
    ['a missing dash', '2026W01'],
    ['a lower-case w', '2026-w01'],
    ['a day suffix', '2026-W01-1'],
    ['a date', '2026-01-01'],
    ['garbage', 'garbage'],
    ['an empty string', ''],
  ])('rejects %s (%s) with a RangeError', (_name, week) => {
    // Act
    const act = () => isoWeekStart(week);

    // Assess
    expect(act).toThrow(RangeError);
    expect(act).toThrow(week === '' ? /ISO week/ : week);
  });
});
