import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (mulberry32): the demo must generate the same events on every run so that
 * re-seeding re-sends the same eventIds and proves the dedupe.
 */
export const seededRandom = (...seed: readonly (string | number)[]): (() => number) => {
  let state = createHash('sha256').update(seed.join('|')).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A whole number near `mean` (Poisson-like spread, never negative). */
export const around = (random: () => number, mean: number, spread = 0.25): number =>
  Math.max(0, Math.round(mean * (1 + (random() * 2 - 1) * spread)));

export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
