import { DETAIL_TYPES, type DetailTypeName } from './detail-types.ts';

/** Edits (insertions, deletions, substitutions) that turn `a` into `b`. */
const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

/** Beyond this many edits (after ignoring case and surrounding spaces) a guess would mislead. */
const MAX_EDITS = 3;

/**
 * The contract detail type a producer most likely meant, for the `unknown_detail_type` message:
 * compared without case and surrounding whitespace, then by edit distance; undefined when none is close.
 *
 * @example
 * ```ts
 * closestDetailType('ai.workflow.Usage'); // 'ai.workflow.usage'
 * closestDetailType('ai.workflow.outcomes'); // 'ai.workflow.outcome'
 * closestDetailType('Scheduled Event'); // undefined
 * ```
 */
export const closestDetailType = (value: unknown): DetailTypeName | undefined => {
  if (typeof value !== 'string' || value.length > 128) return undefined;
  const normalised = value.trim().toLowerCase();
  let best: { type: DetailTypeName; edits: number } | undefined;
  for (const type of DETAIL_TYPES) {
    const edits = editDistance(normalised, type);
    if (edits <= MAX_EDITS && (!best || edits < best.edits)) best = { type, edits };
  }
  return best?.type;
};
