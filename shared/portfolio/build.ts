import type { DigestWorkflow } from '../digest/model.ts';
import { pilotFunnel } from './funnel.ts';
import { NO_HISTORY, type VerdictHistory } from './history.ts';
import type { Portfolio, PortfolioRow } from './model.ts';
import { figuresOf, sumTallies, type Tally, tallyOf } from './tally.ts';

/** Row keys of workflows the catalog does not place. */
export const NOT_IN_CATALOG = 'not-in-catalog';
export const NO_FUNCTION = 'unassigned';

interface Grouping {
  readonly key: (w: DigestWorkflow) => string;
  readonly label: (key: string) => string;
}

const BY_FUNCTION: Grouping = {
  // Free text: "Finance" and "finance " are one function.
  key: (w) =>
    !w.inCatalog ? NOT_IN_CATALOG : (w.businessFunction?.trim().toLowerCase() ?? NO_FUNCTION) || NO_FUNCTION,
  label: (key) =>
    key === NOT_IN_CATALOG ? 'Not in the catalog' : key === NO_FUNCTION ? 'No business function' : key,
};

const BY_TEAM: Grouping = {
  key: (w) => (w.inCatalog && w.ownerTeam ? w.ownerTeam : NOT_IN_CATALOG),
  label: (key) => (key === NOT_IN_CATALOG ? 'Not in the catalog' : key),
};

// Named groups alphabetically, then the workflows no group claims.
const order = (key: string) => (key === NOT_IN_CATALOG ? 2 : key === NO_FUNCTION ? 1 : 0);

/** Rows of one grouping with their tallies, so totals can be summed from the rows themselves. */
export const groupRows = (
  workflows: readonly DigestWorkflow[],
  grouping: Grouping,
): Array<{ row: PortfolioRow; tally: Tally }> => {
  const groups = new Map<string, DigestWorkflow[]>();
  for (const w of workflows) {
    const key = grouping.key(w);
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  return [...groups]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([key, members]) => {
      const tally = sumTallies(members.map(tallyOf));
      return {
        tally,
        row: {
          key,
          label: grouping.label(key),
          workflowIds: members.map((w) => w.workflowId).sort(),
          ...figuresOf(tally),
        },
      };
    });
};

/**
 * The portfolio of a week from the digest's per-workflow figures: tables by business function and by
 * owner team whose totals are the sum of their rows (by construction: totals add the rows' exact
 * integer tallies), and the pilot funnel with streaks from the archived verdicts. Pure.
 *
 * @example
 * ```ts
 * const portfolio = buildPortfolio({ week: '2026-W47', workflows: digest.workflows, history });
 * portfolio.totals.runs; // = the sum of portfolio.byBusinessFunction[*].runs
 * ```
 */
export const buildPortfolio = (input: {
  readonly week: string;
  readonly workflows: readonly DigestWorkflow[];
  readonly history?: VerdictHistory;
}): Portfolio => {
  const byFunction = groupRows(input.workflows, BY_FUNCTION);
  const byTeam = groupRows(input.workflows, BY_TEAM);
  return {
    week: input.week,
    byBusinessFunction: byFunction.map((r) => r.row),
    byOwnerTeam: byTeam.map((r) => r.row),
    totals: figuresOf(sumTallies(byFunction.map((r) => r.tally))),
    funnel: pilotFunnel(input.workflows, input.week, input.history ?? NO_HISTORY),
  };
};
