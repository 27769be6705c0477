import { createHash } from 'node:crypto';
import { VariantSchema } from '../schemas.ts';
import { VariantAssignmentError } from './errors.ts';

/** Relative weights of a workflow's variants, e.g. `{ ai: 0.95, human: 0.05 }`; they need not sum to 1. */
export type VariantWeights = Readonly<Record<string, number>>;

/** 2^53: the top 53 bits of the hash give every double in [0, 1) on a 2^-53 grid, uniformly. */
const TWO_TO_53 = 2 ** 53;

/**
 * A uniform number in [0, 1) fixed by the runId: the top 53 bits of its SHA-256. A hash, not a
 * random draw, so every process, retry and language that hashes the same runId gets the same number.
 */
const unitOf = (runId: string): number => {
  const digest = createHash('sha256').update(runId, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) >> 11n) / TWO_TO_53;
};

const checkedWeights = (weights: VariantWeights): Array<readonly [string, number]> => {
  const entries = Object.entries(weights ?? {});
  if (entries.length === 0)
    throw new VariantAssignmentError('assignVariant needs at least one variant with a weight');
  for (const [variant, weight] of entries) {
    const name = VariantSchema.safeParse(variant);
    if (!name.success)
      throw new VariantAssignmentError(
        `variant "${variant}": ${name.error.issues[0]?.message ?? 'invalid'} (1–64 characters)`,
        variant,
      );
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0)
      throw new VariantAssignmentError(
        `variant "${variant}": weight must be a positive finite number, got ${String(weight)}`,
        variant,
      );
  }
  return entries;
};

/**
 * Assigns a run to a variant at random, deterministically: the same runId and weights always give
 * the same variant, so a retried or resumed run stays in its arm and every service that sees the
 * runId agrees. The runId's SHA-256 is read as a uniform number in [0, 1) and the cumulative weights
 * are walked in the order given; keep that order and the weights fixed for the life of a comparison
 * (changing them moves runs between arms). Declare `assignment: "randomized"` in the catalog when
 * runs are assigned this way (docs/catalog.md).
 *
 * @throws {VariantAssignmentError} with an empty runId, no weights, a weight that is not positive and finite, or a
 * name that is not a valid `variant`.
 * @example
 * ```ts
 * const runId = uuidv7();
 * const variant = assignVariant(runId, { ai: 0.95, human: 0.05 }); // 'ai' for about 95 % of runIds
 * await recorder.run((run) => (variant === 'human' ? byHand(run) : withAi(run)), { runId, variant });
 * ```
 */
export const assignVariant = (runId: string, weights: VariantWeights): string => {
  if (typeof runId !== 'string' || runId.length === 0)
    throw new VariantAssignmentError('assignVariant needs a non-empty runId to hash');
  const entries = checkedWeights(weights);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const point = unitOf(runId) * total;
  let cumulative = 0;
  for (const [variant, weight] of entries) {
    cumulative += weight;
    if (point < cumulative) return variant;
  }
  // Rounding in the running sum can leave the last sliver of [0, total) unclaimed: it is the last arm's.
  return entries[entries.length - 1]?.[0] as string;
};
