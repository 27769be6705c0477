import { lastFullWeek } from '../../../../shared/digest/weeks.ts';
import { DAY_MS, dayKey, floorTo } from '../../../../shared/time.ts';
import { el } from './dom.ts';

/** The trend ranges offered, in days; the page opens on {@link DEFAULT_DAYS}. */
export const RANGES = [7, 14, 35, 90] as const;
export const DEFAULT_DAYS = 35;
/** The longest range the metrics API serves at day granularity (docs/api.md). */
const MAX_DAYS = 400;

/** The days the charts cover: whole UTC days ending with today, and the digest week to show. */
export interface PageRange {
  readonly days: number;
  readonly fromMs: number;
  readonly toMs: number;
  /** `from=YYYY-MM-DD&to=YYYY-MM-DD`, as the API takes it. */
  readonly query: string;
  /** The digest week whose verdicts the page shows: the last that has ended. */
  readonly week: string;
}

/**
 * The range asked for in `?days=` (else the default), ending with today (UTC).
 *
 * @example
 * ```ts
 * pageRange('?days=14', Date.now()).query; // 'from=2026-11-24&to=2026-12-08'
 * ```
 */
export const pageRange = (search: string, nowMs: number): PageRange => {
  const requested = Number(new URLSearchParams(search).get('days'));
  const days =
    Number.isInteger(requested) && requested >= 1 && requested <= MAX_DAYS ? requested : DEFAULT_DAYS;
  const toMs = floorTo(nowMs, DAY_MS) + DAY_MS;
  const fromMs = toMs - days * DAY_MS;
  return {
    days,
    fromMs,
    toMs,
    query: `from=${dayKey(fromMs)}&to=${dayKey(toMs)}`,
    week: lastFullWeek(nowMs),
  };
};

/** The day keys of a range, one per day, for chart labels. */
export const rangeDays = (range: PageRange): string[] =>
  Array.from({ length: range.days }, (_, i) => dayKey(range.fromMs + i * DAY_MS));

/** Links to the other ranges, the current one marked. */
export const rangeNav = (days: number): Node[] => [
  el('span', { class: 'range-label' }, 'Trends'),
  ...RANGES.map((d) =>
    el(
      'a',
      {
        href: `?days=${d}`,
        class: d === days ? 'active' : undefined,
        'aria-current': d === days ? 'true' : undefined,
      },
      `${d} d`,
    ),
  ),
];
