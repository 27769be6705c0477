import { previousWeek } from '../digest/weeks.ts';
import type { DigestArchive } from '../store/digest-archive.ts';
import { Verdict, type VerdictName } from '../verdicts/verdict.ts';

/**
 * Verdicts of past weeks, as the archived digests recorded them (what leadership was told then, not a
 * recomputation): week → workflowId → verdict, or null for a week with no usable archived digest.
 */
export interface VerdictHistory {
  /** Oldest first; the week being built is not among them. */
  readonly weeks: readonly string[];
  readonly byWeek: Readonly<Record<string, Readonly<Record<string, VerdictName>> | null>>;
}

export const NO_HISTORY: VerdictHistory = { weeks: [], byWeek: {} };

const VERDICT_NAMES: ReadonlySet<string> = new Set(Object.values(Verdict));

/**
 * The workflows' verdicts in an archived digest's JSON; null when it cannot be read as a digest, so a
 * damaged copy breaks a streak instead of failing the digest.
 *
 * @example
 * ```ts
 * verdictsOfArchivedDigest('{"workflows":[{"workflowId":"a","verdict":"scale"}]}'); // { a: 'scale' }
 * ```
 */
export const verdictsOfArchivedDigest = (json: string): Record<string, VerdictName> | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  const workflows = (parsed as { workflows?: unknown } | null)?.workflows;
  if (!Array.isArray(workflows)) return null;
  const verdicts: Record<string, VerdictName> = {};
  for (const w of workflows as Array<{ workflowId?: unknown; verdict?: unknown }>) {
    if (typeof w?.workflowId === 'string' && typeof w.verdict === 'string' && VERDICT_NAMES.has(w.verdict))
      verdicts[w.workflowId] = w.verdict as VerdictName;
  }
  return verdicts;
};

/**
 * Reads the verdicts of the `count` weeks before `week` from the digest archive (one read per week).
 *
 * @example
 * ```ts
 * const history = await readVerdictHistory(archive, '2026-W47', 5); // 2026-W42 … 2026-W46
 * ```
 */
export const readVerdictHistory = async (
  archive: DigestArchive,
  week: string,
  count: number,
): Promise<VerdictHistory> => {
  const weeks: string[] = [];
  for (let w = week; weeks.length < count; ) {
    w = previousWeek(w);
    weeks.unshift(w);
  }
  const stored = await Promise.all(weeks.map((w) => archive.get(w)));
  return {
    weeks,
    byWeek: Object.fromEntries(
      weeks.map((w, i) => {
        const json = stored[i]?.json;
        return [w, json === undefined ? null : verdictsOfArchivedDigest(json)];
      }),
    ),
  };
};
