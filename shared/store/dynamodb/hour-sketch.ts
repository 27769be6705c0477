import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DistinctSketch } from '../../metrics/distinct-sketch.ts';
import { SKETCH_TOKENS, SKETCH_VERSION, sketchAttribute } from './counter-codec.ts';
import type { StoredSketch } from './sketch-cache.ts';

/** The part of an hour's counter update that merges users into the sketch the item carries. */
export interface SketchChange {
  /** What the item holds once the update succeeds. */
  readonly next: StoredSketch;
  /** Set with the counters: the merged sketch and its version. */
  readonly set: Record<string, AttributeValue>;
  /** Removed with the counters: the exact form once the sketch turns dense. */
  readonly remove: readonly string[];
  /** Joined with AND to the applied-through condition, with its names and values. */
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/**
 * How an hour's counter update merges `users` into the sketch its item carries, given what the item
 * was last seen to hold: undefined when the users are all there already (returning users: the update
 * sets no sketch and checks no version), else the merged sketch under a check that the version is
 * still the one merged from. Pure: the caller keeps `base` (a cache) and sends the update.
 *
 * @example
 * ```ts
 * const change = hourSketchChange({ sketch: stored, version: 3 }, batchUsers);
 * change?.condition; // '#uv = :uv'
 * ```
 */
export const hourSketchChange = (base: StoredSketch, users: DistinctSketch): SketchChange | undefined => {
  const merged = new DistinctSketch();
  merged.merge(base.sketch);
  if (!merged.merge(users)) return undefined;
  const names = { '#uv': SKETCH_VERSION };
  return {
    next: { sketch: merged, version: base.version + 1 },
    set: { ...sketchAttribute(merged), [SKETCH_VERSION]: { N: String(base.version + 1) } },
    // A sketch stays dense once it is: the hashes it held while exact go in the same write.
    remove: merged.isExact ? [] : [SKETCH_TOKENS],
    ...(base.version === 0
      ? { condition: 'attribute_not_exists(#uv)', names, values: {} }
      : { condition: '#uv = :uv', names, values: { ':uv': { N: String(base.version) } } }),
  };
};
