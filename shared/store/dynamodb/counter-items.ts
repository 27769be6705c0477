import { DEFAULT_VARIANT } from '../../../events/schemas.ts';
import { dayKey, hourKey } from '../../time.ts';
import type { AcceptedEvent } from '../port.ts';
import { Keys } from './keys.ts';

/** One counter item an event adds to. */
export interface CounterItemKey {
  /** Unique per item, for grouping. */
  readonly id: string;
  readonly pk: string;
  readonly sk: string;
}

/**
 * The counter items an event adds to: the workflow's hour and day totals, and, for a variant other
 * than `default`, the variant's hour and day (the default variant is read as totals minus the others,
 * so workflows that run no variants pay nothing for them).
 *
 * @example
 * ```ts
 * counterItemsOf(accepted).map((item) => item.sk); // ['H#2026-11-23T10', 'D#2026-11-23']
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
    const sk = Keys.bucket(granularity, key);
    keys.push({ id: `${pk}|${sk}`, pk, sk });
    if (variant !== DEFAULT_VARIANT) {
      const variantSk = Keys.variantBucket(variant, granularity, key);
      keys.push({ id: `${pk}|${variantSk}`, pk, sk: variantSk });
    }
  }
  return keys;
};
