import { createHash } from 'node:crypto';
import { assignVariant, VariantAssignmentError } from '@yardstick/events/recorder';
import { describe, expect, it } from 'vitest';

// assignVariant is pure: a hash of the runId walked over the cumulative weights. These tests hold it
// to its promises: determinism, the weights' proportions, and refusals that name the problem.

const RUNS = 100_000;
const runIdsOf = (prefix: string) => Array.from({ length: RUNS }, (_, i) => `${prefix}-${i}`);

const sharesOf = (runIds: readonly string[], weights: Record<string, number>) => {
  const counts = new Map<string, number>();
  for (const runId of runIds) {
    const variant = assignVariant(runId, weights);
    counts.set(variant, (counts.get(variant) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].map(([variant, n]) => [variant, n / runIds.length]));
};

describe('assignVariant', () => {
  it('gives the same variant for the same runId, every time', () => {
    // Prepare
    const runIds = runIdsOf('run').slice(0, 1_000);
    const weights = { ai: 0.95, human: 0.05 };

    // Act
    const first = runIds.map((runId) => assignVariant(runId, weights));
    const again = runIds.map((runId) => assignVariant(runId, { ...weights }));

    // Assess
    expect(again).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ai', 'human']));
  });

  it('is the documented rule: the top 53 bits of the runId’s SHA-256 walked over the cumulative weights', () => {
    // Prepare: the rule as docs/instrument.md states it, for producers in other languages
    const runIds = runIdsOf('doc').slice(0, 2_000);
    const reference = (runId: string) => {
      const unit = Number(createHash('sha256').update(runId).digest().readBigUInt64BE(0) >> 11n) / 2 ** 53;
      return unit * 10 < 1 ? 'human' : unit * 10 < 4 ? 'ai-v1' : 'ai-v2';
    };

    // Act
    const assigned = runIds.map((runId) => assignVariant(runId, { human: 1, 'ai-v1': 3, 'ai-v2': 6 }));

    // Assess
    expect(assigned).toEqual(runIds.map(reference));
  });

  it('assigns 100,000 runIds within half a percentage point of the weights', () => {
    // Prepare
    const uuids = Array.from({ length: RUNS }, (_, i) => crypto.randomUUID() + i);

    // Act
    const twoArms = sharesOf(runIdsOf('invoice'), { ai: 0.95, human: 0.05 });
    const threeArms = sharesOf(uuids, { control: 2, 'prompt-v2': 1, 'prompt-v3': 1 });

    // Assess
    expect(Math.abs((twoArms.ai ?? 0) - 0.95)).toBeLessThan(0.005);
    expect(Math.abs((twoArms.human ?? 0) - 0.05)).toBeLessThan(0.005);
    expect(Math.abs((threeArms.control ?? 0) - 0.5)).toBeLessThan(0.005);
    expect(Math.abs((threeArms['prompt-v2'] ?? 0) - 0.25)).toBeLessThan(0.005);
    expect(Math.abs((threeArms['prompt-v3'] ?? 0) - 0.25)).toBeLessThan(0.005);
  });

  it('puts every run in the only arm there is', () => {
    // Act
    const arms = new Set(
      runIdsOf('solo')
        .slice(0, 500)
        .map((runId) => assignVariant(runId, { ai: 3 })),
    );

    // Assess
    expect(arms).toEqual(new Set(['ai']));
  });

  it.each([
    ['no weights', 'run-1', {}, /at least one variant/, undefined],
    ['a zero weight', 'run-1', { ai: 1, human: 0 }, /human.*positive finite number, got 0/, 'human'],
    ['a negative weight', 'run-1', { ai: -1 }, /positive finite/, 'ai'],
    ['an infinite weight', 'run-1', { ai: Number.POSITIVE_INFINITY }, /positive finite/, 'ai'],
    ['a NaN weight', 'run-1', { ai: Number.NaN }, /positive finite/, 'ai'],
    ['a weight that is not a number', 'run-1', { ai: '0.9' as unknown as number }, /got 0\.9/, 'ai'],
    ['a variant name the contract refuses', 'run-1', { AI: 1 }, /variant "AI": must be lower-case/, 'AI'],
    ['a variant name over 64 characters', 'run-1', { ['a'.repeat(65)]: 1 }, /1–64/, 'a'.repeat(65)],
    ['an empty runId', '', { ai: 1 }, /non-empty runId/, undefined],
  ])('refuses %s with a VariantAssignmentError that says why', (_case, runId, weights, message, variant) => {
    // Act
    const assign = () => assignVariant(runId, weights);

    // Assess
    expect(assign).toThrow(VariantAssignmentError);
    expect(assign).toThrow(message);
    try {
      assign();
    } catch (error) {
      expect((error as VariantAssignmentError).variant).toBe(variant);
    }
  });
});
