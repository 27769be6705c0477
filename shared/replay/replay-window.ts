import { EventTimeRules } from '../../events/event-time.ts';
import { DAY_MS, dayKey } from '../time.ts';
import { ReplayRefusedError } from './replay-errors.ts';

/**
 * The first UTC day whose every recorded event is still in the table. A live event is recorded at
 * most `futureSkewMs` before it occurred and kept `markerTtlDays` after it was recorded, so every
 * event that occurred after `now − markerTtlDays + futureSkew` is still there; the window starts at
 * the next midnight so that only whole day (and hour) buckets are rebuilt. Older buckets may have
 * lost events to TTL and are left alone.
 *
 * @example
 * ```ts
 * coveredFromMs(Date.parse('2026-12-07T17:00:00Z'), 56); // Date.parse('2026-10-13T00:00:00Z')
 * ```
 */
export const coveredFromMs = (nowMs: number, markerTtlDays: number): number =>
  Math.ceil((nowMs - markerTtlDays * DAY_MS + EventTimeRules.futureSkewMs) / DAY_MS) * DAY_MS;

export interface WindowChoice {
  readonly nowMs: number;
  readonly markerTtlDays: number;
  /** `YYYY-MM-DD`: rebuild from that day instead of the first covered one. */
  readonly since?: string;
  /** The operator vouches that every event from `since` on is kept (imported history, no TTL). */
  readonly keptHistory?: boolean;
}

/**
 * The instant a replay rebuilds from: the first covered day, or a later `since`; an earlier `since`
 * only with `keptHistory`, since buckets older than the covered window may have lost their events.
 *
 * @example
 * ```ts
 * replayFromMs({ nowMs: Date.now(), markerTtlDays: 56, since: '2026-12-01' });
 * ```
 */
export const replayFromMs = (choice: WindowChoice): number => {
  const covered = coveredFromMs(choice.nowMs, choice.markerTtlDays);
  if (choice.since === undefined) return covered;
  const since = Date.parse(`${choice.since}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(choice.since) || Number.isNaN(since))
    throw new ReplayRefusedError(`--since must be a UTC day like 2026-12-01; got "${choice.since}"`);
  if (since < covered && !choice.keptHistory)
    throw new ReplayRefusedError(
      `--since ${choice.since} is before ${dayKey(covered)}, the first day whose recorded events are all still kept ` +
        `(recorded events expire ${choice.markerTtlDays} days after recording); replaying it would drop counts. ` +
        'Add --kept-history only if every event from that day on is kept (imported history has no TTL).',
    );
  return since;
};
