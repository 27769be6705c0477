import { DEFAULT_VARIANT } from '../../../events/schemas.ts';
import { dayKey, hourKey, isoWeekOf } from '../../time.ts';
import type { AcceptedEvent } from '../port.ts';
import { fleetShardOf, Keys } from './keys.ts';

/** One counter item an event adds to. */
export interface CounterItemKey {
  /** Unique per item, for grouping. */
  readonly id: string;
  readonly pk: string;
  readonly sk: string;
  /**
   * True for the workflow's hour totals: that item carries the hour's distinct-users sketch, merged in
   * the same update as its counters (an hour holds few users, so it rides in the write made anyway).
   */
  readonly carriesUsers?: boolean;
}

const item = (pk: string, sk: string, carriesUsers = false): CounterItemKey => ({
  id: `${pk}|${sk}`,
  pk,
  sk,
  ...(carriesUsers ? { carriesUsers } : {}),
});

/**
 * The counter items an event adds to: the workflow's hour and day totals, and, for a variant other
 * than `default`, the variant's hour and day (the default variant is read as totals minus the others,
 * so workflows that run no variants pay nothing for them); then the fleet rollup of the event's ISO
 * week, the workflow's week totals and its named variant's week, which the digest reads for the whole
 * fleet at once (docs/counting.md, "Fleet rollup"). Every counter item is one of these, so replaying
 * recorded events through this function rebuilds the rollup too.
 *
 * @example
 * ```ts
 * counterItemsOf(accepted).map((item) => item.sk); // ['H#2026-11-23T10', 'D#2026-11-23', 'invoice-triage']
 * ```
 */
export const counterItemsOf = (accepted: AcceptedEvent): CounterItemKey[] => {
  const { workflowId, occurredAt, variant = DEFAULT_VARIANT } = accepted.event.detail;
  const ms = Date.parse(occurredAt);
  const pk = Keys.counters(workflowId);
  const keys: CounterItemKey[] = [];
  for (const [granularity, key] of [
    ['hour', hourKey(ms)],
    ['day', dayKey(ms)],
  ] as const) {
    keys.push(item(pk, Keys.bucket(granularity, key), granularity === 'hour'));
    if (variant !== DEFAULT_VARIANT) keys.push(item(pk, Keys.variantBucket(variant, granularity, key)));
  }
  const fleetPk = Keys.fleetWeek(isoWeekOf(ms), fleetShardOf(workflowId));
  keys.push(item(fleetPk, Keys.fleetTotals(workflowId)));
  if (variant !== DEFAULT_VARIANT) keys.push(item(fleetPk, Keys.fleetVariant(workflowId, variant)));
  return keys;
};

/**
 * The distinct-users sketch items an event's users merge into: the workflow's day, and its week in
 * the fleet rollup (an hour's sketch is carried by its counter item, see {@link counterItemsOf}).
 * Variants keep no sketch (distinct users are counted per workflow only). The sibling of
 * {@link counterItemsOf} for sketches.
 *
 * @example
 * ```ts
 * sketchItemsOf(accepted).map((item) => item.sk); // ['UD#2026-11-23', 'invoice-triage#U']
 * ```
 */
export const sketchItemsOf = (accepted: AcceptedEvent): CounterItemKey[] => {
  const { workflowId, occurredAt } = accepted.event.detail;
  const ms = Date.parse(occurredAt);
  const pk = Keys.counters(workflowId);
  return [
    item(pk, Keys.sketch('day', dayKey(ms))),
    item(Keys.fleetWeek(isoWeekOf(ms), fleetShardOf(workflowId)), Keys.fleetUsers(workflowId)),
  ];
};
