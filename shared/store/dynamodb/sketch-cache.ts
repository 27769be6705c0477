import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DistinctSketch } from '../../metrics/distinct-sketch.ts';
import { sketchFromItem } from './counter-codec.ts';

/** A sketch as a writer last wrote or saw it, with the version its item held then. */
export interface StoredSketch {
  readonly sketch: DistinctSketch;
  readonly version: number;
}

/** Nothing stored yet: the empty sketch of an item with no version. */
export const NO_STORED_SKETCH: StoredSketch = { sketch: new DistinctSketch(), version: 0 };

/** The sketch and version an item holds (`versionAttribute` names its version), or an empty one. */
export const storedSketchOf = (
  item: Record<string, AttributeValue> | undefined,
  versionAttribute: string,
): StoredSketch => ({
  sketch: sketchFromItem(item),
  version: Number(item?.[versionAttribute]?.N ?? 0),
});

/** Sketches remembered per writer (about 1 KB each). */
const SKETCH_CACHE_ENTRIES = 2_000;

/**
 * The sketches a writer last wrote or saw, by item (`{pk}|{sk}`), least recently used dropped first.
 * A cached sketch is never more than the stored one (sketches only grow; a replay rebuilds from every
 * recorded event and moves the version on), so a merge that adds nothing to it needs no write, and a
 * stale entry only costs one refused conditional write.
 *
 * @example
 * ```ts
 * const cache = new SketchCache();
 * cache.remember('WF#wf|H#2026-11-23T10', { sketch, version: 3 });
 * cache.get('WF#wf|H#2026-11-23T10')?.version; // 3
 * ```
 */
export class SketchCache {
  private readonly entries = new Map<string, StoredSketch>();

  constructor(private readonly capacity = SKETCH_CACHE_ENTRIES) {}

  get(id: string): StoredSketch | undefined {
    return this.entries.get(id);
  }

  remember(id: string, value: StoredSketch): void {
    this.entries.delete(id);
    this.entries.set(id, value);
    // Insertion order makes the first key the least recently used.
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
