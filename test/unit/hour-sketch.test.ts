import { describe, expect, it } from 'vitest';
import { userToken } from '../../shared/metrics/counters.ts';
import { DistinctSketch, SKETCH_EXACT_LIMIT } from '../../shared/metrics/distinct-sketch.ts';
import { SKETCH, SKETCH_TOKENS, SKETCH_VERSION } from '../../shared/store/dynamodb/counter-codec.ts';
import { hourSketchChange } from '../../shared/store/dynamodb/hour-sketch.ts';

const usersOf = (...ids: string[]) => DistinctSketch.ofTokens(ids.map((id) => userToken(id)));

describe('hourSketchChange', () => {
  it('sets nothing and checks no version when every user is in the stored sketch already', () => {
    // Act
    const change = hourSketchChange({ sketch: usersOf('a', 'b'), version: 4 }, usersOf('b'));

    // Assess
    expect(change).toBeUndefined();
  });

  it('sets the merged sketch and the next version, on the condition that no sketch was stored yet', () => {
    // Act
    const change = hourSketchChange({ sketch: new DistinctSketch(), version: 0 }, usersOf('a'));

    // Assess
    expect(change?.condition).toBe('attribute_not_exists(#uv)');
    expect(change?.names).toEqual({ '#uv': SKETCH_VERSION });
    expect(change?.set[SKETCH_VERSION]).toEqual({ N: '1' });
    expect(change?.set[SKETCH_TOKENS]?.B).toHaveLength(8);
    expect(change?.remove).toEqual([]);
  });

  it('merges into the stored sketch on the condition that its version has not moved', () => {
    // Act
    const change = hourSketchChange({ sketch: usersOf('a', 'b'), version: 7 }, usersOf('b', 'c'));

    // Assess
    expect(change?.condition).toBe('#uv = :uv');
    expect(change?.values).toEqual({ ':uv': { N: '7' } });
    expect(change?.next.version).toBe(8);
    expect(change?.next.sketch.estimate).toBe(3);
  });

  it('stores the registers and removes the hashes once the users pass the exact limit', () => {
    // Prepare
    const many = Array.from({ length: SKETCH_EXACT_LIMIT }, (_, i) => `u-${i}`);

    // Act
    const change = hourSketchChange({ sketch: usersOf(...many), version: 2 }, usersOf('one-more'));

    // Assess
    expect(change?.set[SKETCH]?.B).toHaveLength(768);
    expect(change?.set[SKETCH_TOKENS]).toBeUndefined();
    expect(change?.remove).toEqual([SKETCH_TOKENS]);
    expect(change?.next.sketch.isExact).toBe(false);
  });
});
