import { demoFleet } from '../infra/local/demo/fleet.ts';
import { incomingOfDemoEntry } from '../infra/local/demo/incoming.ts';
import type { IncomingEvent } from '../shared/ingest/count-batch.ts';
import { DAY_MS } from '../shared/time.ts';

/** The traffic shapes of issue 12's write-cost goals. */
export const Shape = {
  live: 'live (one hour)',
  fiveDays: 'backfill (five days)',
  fiveWeeks: 'backfill (five weeks)',
} as const;
export type ShapeName = (typeof Shape)[keyof typeof Shape];

const SPAN_MS: Record<ShapeName, number> = {
  [Shape.live]: 3_598_000,
  [Shape.fiveDays]: 5 * DAY_MS,
  [Shape.fiveWeeks]: 34 * DAY_MS,
};
const FLEET_SPAN_MS = 34 * DAY_MS;

/**
 * `events` events of the demo fleet (six workflows, 97 returning users, usage, outcomes and reviews
 * in the fleet's proportions), taken evenly from its five weeks and squeezed into the shape's span
 * before `nowMs` (one hour: all in the hour before `nowMs`, whose hour item they share), in the order
 * they occurred, as producers would send them. Deterministic for a given `nowMs`.
 *
 * @example
 * ```ts
 * const incoming = shapedEvents(Shape.live, 3000, Date.parse('2026-11-25T12:00:00Z'));
 * ```
 */
export const shapedEvents = (shape: ShapeName, events: number, nowMs: number): IncomingEvent[] => {
  const fleet = demoFleet(nowMs).entries;
  const stride = fleet.length / events;
  const top = nowMs - 1000;
  const picked = Array.from({ length: Math.min(events, fleet.length) }, (_, i) => {
    const entry = fleet[Math.floor(i * stride)] as (typeof fleet)[number];
    const ago = nowMs - Date.parse(entry.Detail.occurredAt as string);
    const at = top - Math.floor((ago / FLEET_SPAN_MS) * SPAN_MS[shape]);
    return { ...entry, Detail: { ...entry.Detail, occurredAt: new Date(at).toISOString() } };
  });
  picked.sort((a, b) => (a.Detail.occurredAt < b.Detail.occurredAt ? -1 : 1));
  return picked.map((entry, i) => incomingOfDemoEntry(entry, `m${i}`));
};
