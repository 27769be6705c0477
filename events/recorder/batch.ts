import { PutEventsLimits } from './entry-size.ts';

/** Anything with a precomputed EventBridge entry size. */
export interface Sized {
  readonly size: number;
}

/**
 * Takes the next PutEvents batch from the front of `items`, in order: at most 10 entries and at
 * most 256 KB in total. Items are removed from `items`. An item larger than the limit on its own is
 * never taken (the recorder refuses such events before they are queued).
 *
 * @example
 * ```ts
 * const batch = takeBatch(queue); // ≤ 10 items, Σ size ≤ 262,144
 * ```
 */
export const takeBatch = <T extends Sized>(
  items: T[],
  limits: { readonly maxEntries: number; readonly maxBytes: number } = PutEventsLimits,
): T[] => {
  let bytes = 0;
  let count = 0;
  while (count < items.length && count < limits.maxEntries) {
    const size = items[count]?.size ?? 0;
    if (bytes + size > limits.maxBytes) break;
    bytes += size;
    count++;
  }
  return items.splice(0, count);
};

/** True when the front of `items` already fills a PutEvents call (by count or by bytes). */
export const isFullBatchReady = <T extends Sized>(
  items: readonly T[],
  limits: { readonly maxEntries: number; readonly maxBytes: number } = PutEventsLimits,
): boolean => {
  if (items.length >= limits.maxEntries) return true;
  let bytes = 0;
  for (const item of items) {
    bytes += item.size;
    if (bytes > limits.maxBytes) return true;
  }
  return false;
};
