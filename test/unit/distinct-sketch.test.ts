import { describe, expect, it } from 'vitest';
import { userToken } from '../../shared/metrics/counters.ts';
import {
  DistinctSketch,
  packRegisters,
  SKETCH_REGISTERS,
  SKETCH_RELATIVE_ERROR,
  unpackRegisters,
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

  it.each([1, 2, 3, 10, 40])('counts %i distinct users exactly', (n) => {
    expect(sketchOf(range(0, n)).estimate).toBe(n);
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
