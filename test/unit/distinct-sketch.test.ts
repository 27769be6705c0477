import { describe, expect, it } from 'vitest';
import { userToken } from '../../shared/metrics/counters.ts';
import {
  DistinctSketch,
  packRegisters,
  packTokens,
  SKETCH_EXACT_LIMIT,
  SKETCH_REGISTERS,
  SKETCH_RELATIVE_ERROR,
  unpackRegisters,
  unpackTokens,
} from '../../shared/metrics/distinct-sketch.ts';

const sketchOf = (ids: Iterable<string>): DistinctSketch => {
  const sketch = new DistinctSketch();
  for (const id of ids) sketch.add(userToken(id));
  return sketch;
};
const range = (from: number, to: number, prefix = 'user') =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);

describe('DistinctSketch', () => {
  it('estimates nothing for an empty sketch', () => {
    expect(new DistinctSketch().estimate).toBe(0);
    expect(new DistinctSketch().isEmpty).toBe(true);
  });

  it.each([1, 2, 3, 10, 40, SKETCH_EXACT_LIMIT])('counts %i distinct users exactly', (n) => {
    // Act
    const sketch = sketchOf(range(0, n));

    // Assess
    expect(sketch.isExact).toBe(true);
    expect(sketch.estimate).toBe(n);
  });

  it('turns into a HyperLogLog past the exact limit, keeping the same registers', () => {
    // Prepare
    const exact = sketchOf(range(0, SKETCH_EXACT_LIMIT));

    // Act
    exact.add(userToken('one-more'));

    // Assess
    expect(exact.isExact).toBe(false);
    expect(exact.tokens).toBeUndefined();
    expect(exact.registers).toEqual(sketchOf([...range(0, SKETCH_EXACT_LIMIT), 'one-more']).registers);
  });

  it('stays exact when two small sketches merge, and turns dense when merged with a dense one', () => {
    // Prepare
    const a = sketchOf(range(0, 30));
    const b = sketchOf(range(20, 50));
    const dense = sketchOf(range(0, 500));

    // Act
    const grew = a.merge(b);
    const unchanged = a.merge(sketchOf(range(0, 10)));
    const densified = a.merge(dense);

    // Assess
    expect([grew, unchanged, densified]).toEqual([true, false, true]);
    expect(a.isExact).toBe(false);
    expect(a.registers).toEqual(sketchOf(range(0, 500)).registers);
  });

  it('stores an exact sketch as 8 bytes per user hash and reads it back', () => {
    // Prepare
    const sketch = sketchOf(range(0, 12));

    // Act
    const packed = packTokens(sketch.tokens ?? []);
    const restored = DistinctSketch.ofTokens(unpackTokens(packed));

    // Assess
    expect(packed.length).toBe(12 * 8);
    expect(restored.estimate).toBe(12);
    expect(restored.registers).toEqual(sketch.registers);
  });

  it.each([1_000, 10_000, 100_000])('estimates %i distinct users within three standard errors', (n) => {
    // Act
    const estimate = sketchOf(range(0, n)).estimate;

    // Assess
    expect(Math.abs(estimate - n) / n).toBeLessThanOrEqual(3 * SKETCH_RELATIVE_ERROR);
  });

  it('ignores repeats of the same user', () => {
    // Act
    const sketch = sketchOf([...range(0, 500), ...range(0, 500), ...range(0, 500)]);

    // Assess
    expect(Math.abs(sketch.estimate - 500)).toBeLessThanOrEqual(500 * 3 * SKETCH_RELATIVE_ERROR);
  });

  it('merges as a set union: overlapping hours give the distinct users of the day', () => {
    // Prepare
    const morning = sketchOf(range(0, 3000));
    const afternoon = sketchOf(range(2000, 5000));
    const whole = sketchOf(range(0, 5000));

    // Act
    const changed = morning.merge(afternoon);

    // Assess
    expect(changed).toBe(true);
    expect(morning.registers).toEqual(whole.registers);
    expect(morning.merge(afternoon)).toBe(false);
  });

  it('takes its registers from stored bytes and refuses the wrong size', () => {
    // Prepare
    const original = sketchOf(range(0, 100));

    // Act
    const restored = new DistinctSketch(original.registers);

    // Assess
    expect(restored.estimate).toBe(original.estimate);
    expect(() => new DistinctSketch(new Uint8Array(SKETCH_REGISTERS - 1))).toThrow(RangeError);
  });

  it('stores its registers in 6 bits each and reads them back unchanged', () => {
    // Prepare
    const sketch = sketchOf(range(0, 20_000));
    sketch.registers[0] = 63; // the largest value a register can take

    // Act
    const packed = packRegisters(sketch.registers);

    // Assess
    expect(packed.length).toBe((SKETCH_REGISTERS * 6) / 8);
    expect(unpackRegisters(packed)).toEqual(sketch.registers);
  });
});
