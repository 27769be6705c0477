import { FindingCode } from '../verdicts/rules.ts';
import { Verdict, type VerdictName } from '../verdicts/verdict.ts';
import type { DigestWorkflow } from './model.ts';

/** Verdicts that say something is wrong, most urgent first: their workflows are shown in full first. */
export const FLAGGED_VERDICTS: readonly VerdictName[] = [Verdict.stop, Verdict.fix, Verdict.stalled];

// A missed target flags a workflow whatever its verdict; evidence gaps (too few runs, no value data)
// do not: their verdicts already say what data is missing.
const MISSED_TARGETS: ReadonlySet<string> = new Set([
  FindingCode.negativeRoiTwice,
  FindingCode.overrideAboveTarget,
  FindingCode.overrideRising,
  FindingCode.acceptanceBelowTarget,
  FindingCode.roiBelowTarget,
  FindingCode.runsBelowTarget,
  FindingCode.runsFalling,
]);

/** How many unflagged workflows, the largest, are shown in full beside the flagged ones. */
export const LARGEST_IN_FULL = 10;

/** The share of the space left for workflows that full cards may take; the compact table gets the rest. */
export const CARD_SHARE = 0.6;

/** True when the verdict asks for action (stop, fix, stalled) or a target is missed. */
export const isFlagged = (w: DigestWorkflow): boolean =>
  FLAGGED_VERDICTS.includes(w.verdict) || w.findings.some((f) => MISSED_TARGETS.has(f.code));

/** The money at stake: the larger of the week's value and its AI cost. */
const size = (w: DigestWorkflow) => Math.max(w.current.valueUsd ?? 0, w.current.costUsd);

const urgency = (w: DigestWorkflow) => {
  const rank = FLAGGED_VERDICTS.indexOf(w.verdict);
  return rank < 0 ? FLAGGED_VERDICTS.length : rank;
};

/** What the e-mail shows of each workflow: a full card, a compact row, or only a count. */
export interface DigestSummary {
  /** In the digest's order (decisions first). */
  readonly cards: readonly DigestWorkflow[];
  /** In the digest's order. */
  readonly rows: readonly DigestWorkflow[];
  /** Workflows left out of the e-mail (the smallest unflagged ones); every one is in the JSON. */
  readonly more: number;
}

export interface SummaryInput {
  readonly workflows: readonly DigestWorkflow[];
  /** Bytes the workflows may take in all. */
  readonly budgetBytes: number;
  /** Each is called at most once per workflow, so the caller may render on demand. */
  readonly cardBytes: (w: DigestWorkflow) => number;
  readonly rowBytes: (w: DigestWorkflow) => number;
}

/**
 * Chooses, greedily and in one pass each, which workflows get a full card (flagged ones, most urgent
 * and largest first, then the {@link LARGEST_IN_FULL} largest others, within {@link CARD_SHARE} of the
 * budget) and which a compact row (flagged first, then by size) until the budget is spent. Sorting is
 * the only super-linear step; each workflow is sized at most once as a card and once as a row.
 *
 * @example
 * ```ts
 * const { cards, rows, more } = summariseWorkflows({ workflows, budgetBytes: 80_000, cardBytes, rowBytes });
 * ```
 */
export const summariseWorkflows = ({
  workflows,
  budgetBytes,
  cardBytes,
  rowBytes,
}: SummaryInput): DigestSummary => {
  const byPriority = workflows
    .map((w, index) => ({ w, index, flagged: isFlagged(w), urgency: urgency(w), size: size(w) }))
    .sort(
      (a, b) =>
        Number(b.flagged) - Number(a.flagged) ||
        a.urgency - b.urgency ||
        b.size - a.size ||
        a.index - b.index,
    );
  const inFull = new Set<number>();
  let used = 0;
  let largest = 0;
  for (const { w, index, flagged } of byPriority) {
    if (!flagged && largest++ >= LARGEST_IN_FULL) break;
    const bytes = cardBytes(w);
    if (used + bytes > budgetBytes * CARD_SHARE) continue;
    inFull.add(index);
    used += bytes;
  }
  const inRows = new Set<number>();
  for (const { w, index } of byPriority) {
    if (inFull.has(index)) continue;
    const bytes = rowBytes(w);
    // Rows are about the same size: once one does not fit, the rest are counted, not tried.
    if (used + bytes > budgetBytes) break;
    inRows.add(index);
    used += bytes;
  }
  return {
    cards: workflows.filter((_, index) => inFull.has(index)),
    rows: workflows.filter((_, index) => inRows.has(index)),
    more: workflows.length - inFull.size - inRows.size,
  };
};
