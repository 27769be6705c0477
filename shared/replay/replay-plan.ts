import {
  type Counters,
  deltaFromEvent,
  emptyCounters,
  mergeCounters,
  type Pricer,
} from '../metrics/counters.ts';
import { DistinctSketch } from '../metrics/distinct-sketch.ts';
import type { CounterItemKey } from '../store/dynamodb/counter-items.ts';
import { Keys } from '../store/dynamodb/keys.ts';
import type { AcceptedEvent } from '../store/port.ts';
import { dayKey } from '../time.ts';

/** How each event's counter delta is decided on replay. */
export const DeltaSource = {
  /** Recomputed from the event with the catalog's current prices (the default: a pricing fix, a new metric). */
  reprice: 'reprice',
  /** The delta decided at admission, as stored with the event. */
  stored: 'stored',
} as const;
export type DeltaSourceName = (typeof DeltaSource)[keyof typeof DeltaSource];

/** A recorded event read back for replay: the accepted event (its stored delta) and its item's key. */
export interface RecordedEvent {
  readonly pk: string;
  readonly sk: string;
  readonly accepted: AcceptedEvent;
}

export interface PlannedItem {
  readonly pk: string;
  readonly sk: string;
  /** The item's counters (their users sketch left empty: see `users`). */
  readonly counters: Counters;
  /** The users sketch the item carries (an hour's totals, counter-items.ts `carriesUsers`), else undefined. */
  readonly users?: DistinctSketch;
}

/** An event whose delta changes on replay: its recorded item is rewritten with the new one. */
export interface ChangedEvent {
  readonly recorded: RecordedEvent;
  readonly delta: Counters;
}

export interface ReplayPlan {
  /** Counter items in the workflow's own partition: overwritten with these totals. */
  readonly owned: ReadonlyMap<string, PlannedItem>;
  /** Distinct-user sketch items (days) in the workflow's partition: overwritten with these sketches. */
  readonly sketches: ReadonlyMap<
    string,
    { readonly pk: string; readonly sk: string; readonly sketch: DistinctSketch }
  >;
  /** Events whose delta differs from the stored one (with `reprice`), in occurredAt order. */
  readonly changed: readonly ChangedEvent[];
  /** Events inside the window, the ones the plan is built from. */
  readonly events: number;
}

export interface PlanOptions {
  readonly workflowId: string;
  readonly source: DeltaSourceName;
  readonly price: Pricer;
  /** Only events that occurred at or after this instant (a UTC day start) are replayed. */
  readonly fromMs: number;
  /** The counter items of an event (counter-items.ts `counterItemsOf`). */
  readonly itemsOf: (accepted: AcceptedEvent) => readonly CounterItemKey[];
}

/**
 * The delta an event counts with on replay. Repricing recomputes it from the event as admission does
 * (`deltaFromEvent`), but keeps what admission decided from the workflow's state at the time: the
 * folded reason codes (the registry's cap) and the user's token.
 *
 * @example
 * ```ts
 * const delta = replayDelta(recorded.accepted, DeltaSource.reprice, catalog.price);
 * ```
 */
export const replayDelta = (accepted: AcceptedEvent, source: DeltaSourceName, price: Pricer): Counters => {
  if (source === DeltaSource.stored) return accepted.delta;
  const fresh = deltaFromEvent(accepted.event, price);
  return { ...fresh, reasons: new Map(accepted.delta.reasons), users: accepted.delta.users };
};

/** Two deltas are the same when they store the same attributes. */
const sameDelta = (a: Counters, b: Counters): boolean => {
  const entries = (c: Counters) =>
    JSON.stringify([
      Object.entries(c.values)
        .filter(([, v]) => v !== 0n)
        .map(([k, v]) => [k, v.toString()]),
      [...c.latency].sort().map(([k, v]) => [k, v.toString()]),
      [...c.reasons].sort().map(([k, v]) => [k, v.toString()]),
      [...c.pricedBy].sort().map(([k, v]) => [k, v.toString()]),
    ]);
  return entries(a) === entries(b);
};

/**
 * What a replay writes, computed from a workflow's recorded events alone: the totals of every counter
 * item of its partition that the window's events add to (an hour's with its users sketch), the user
 * sketches of their days,
 * and the events whose delta changes. Pure: no I/O.
 *
 * @example
 * ```ts
 * const plan = planReplay(recorded, { workflowId, source: 'reprice', price: catalog.price, fromMs, itemsOf: counterItemsOf });
 * ```
 */
export const planReplay = (recorded: readonly RecordedEvent[], options: PlanOptions): ReplayPlan => {
  const ownPk = Keys.counters(options.workflowId);
  const owned = new Map<string, PlannedItem>();
  const sketches = new Map<string, { pk: string; sk: string; sketch: DistinctSketch }>();
  const changed: ChangedEvent[] = [];
  const inWindow = recorded
    .filter((r) => Date.parse(r.accepted.event.detail.occurredAt) >= options.fromMs)
    .sort(
      (a, b) =>
        Date.parse(a.accepted.event.detail.occurredAt) - Date.parse(b.accepted.event.detail.occurredAt),
    );
  for (const r of inWindow) {
    const delta = replayDelta(r.accepted, options.source, options.price);
    if (!sameDelta(delta, r.accepted.delta)) changed.push({ recorded: r, delta });
    for (const key of options.itemsOf(r.accepted)) {
      if (key.pk !== ownPk) continue; // shared items are adjusted with the changed events instead
      let item = owned.get(key.id);
      if (!item) {
        const users = key.carriesUsers ? { users: new DistinctSketch() } : {};
        item = { pk: key.pk, sk: key.sk, counters: emptyCounters(), ...users };
        owned.set(key.id, item);
      }
      mergeCounters(item.counters, { ...delta, users: new DistinctSketch() });
      item.users?.merge(delta.users);
    }
    if (delta.users.isEmpty) continue;
    const sk = Keys.sketch('day', dayKey(Date.parse(r.accepted.event.detail.occurredAt)));
    let entry = sketches.get(sk);
    if (!entry) {
      entry = { pk: ownPk, sk, sketch: new DistinctSketch() };
      sketches.set(sk, entry);
    }
    entry.sketch.merge(delta.users);
  }
  return { owned, sketches, changed, events: inWindow.length };
};
