import type { Verdicts, WorkflowListEntry } from './api.ts';
import { stagePill, verdictBadge } from './badges.ts';
import { FLEET_PAGE_ROWS } from './budgets.ts';
import type { Figure, FleetColumn } from './columns.ts';
import { el } from './dom.ts';
import { missedTargets } from './flags.ts';

/** What the fleet section draws: one page of the loaded workflows, as table rows and as phone cards. */
export interface FleetView {
  readonly workflows: readonly WorkflowListEntry[];
  readonly verdicts: Verdicts | null;
  readonly columns: readonly FleetColumn[];
  /** Zero-based page of {@link FLEET_PAGE_ROWS} rows. */
  readonly page: number;
}

const figureCell = (column: FleetColumn, figure: Figure) =>
  el(
    'td',
    {
      class: `num${column.wraps ? ' wraps' : ''}${figure.flag ? ' flagged' : ''}${figure.negative ? ' negative' : ''}`,
      title: figure.flag,
      'data-column': column.key,
    },
    figure.text,
  );

const identity = (w: WorkflowListEntry) => [
  el('a', { href: `#wf-${w.workflowId}`, class: 'wf-id' }, w.workflowId),
  el('span', { class: 'wf-name' }, [w.name, w.ownerTeam].filter(Boolean).join(' · ') || 'not in the catalog'),
];

const verdictOf = (view: FleetView, w: WorkflowListEntry) => {
  const verdict = view.verdicts?.byWorkflow.get(w.workflowId);
  return verdict ? verdictBadge(verdict) : el('span', { class: 'muted' }, '—');
};

/** The rows of the current page. */
export const pageRows = (view: FleetView): readonly WorkflowListEntry[] =>
  view.workflows.slice(view.page * FLEET_PAGE_ROWS, (view.page + 1) * FLEET_PAGE_ROWS);

/**
 * The fleet table's head and body for the current page: workflow with its stage, verdict when the
 * digest answered, then one cell per column; cells that miss a catalog target are flagged.
 *
 * @example
 * ```ts
 * const { head, body } = fleetTable(view);
 * table.tHead?.replaceChildren(head);
 * ```
 */
export const fleetTable = (view: FleetView): { head: HTMLTableRowElement; body: HTMLTableRowElement[] } => ({
  head: el(
    'tr',
    {},
    el('th', { scope: 'col', class: 'wf' }, 'workflow · stage'),
    view.verdicts ? el('th', { scope: 'col' }, `verdict ${view.verdicts.week}`) : null,
    view.columns.map((c) => el('th', { scope: 'col', class: 'num', 'data-column': c.key }, c.heading)),
  ),
  body: pageRows(view).map((w) => {
    const missed = missedTargets(w);
    return el(
      'tr',
      { 'data-workflow': w.workflowId },
      el('td', { class: 'wf' }, identity(w), stagePill(w.stage)),
      view.verdicts ? el('td', {}, verdictOf(view, w)) : null,
      view.columns.map((c) => figureCell(c, c.figure(w, missed))),
    );
  }),
});

/**
 * The same page as cards (a definition list per workflow), which the phone layout shows instead of
 * the table: every figure stays readable at 390 px without scrolling sideways.
 *
 * @example
 * ```ts
 * list.replaceChildren(...fleetCards(view));
 * ```
 */
export const fleetCards = (view: FleetView): HTMLLIElement[] =>
  pageRows(view).map((w) => {
    const missed = missedTargets(w);
    return el(
      'li',
      { class: 'fleet-card', 'data-workflow': w.workflowId },
      el(
        'div',
        { class: 'fleet-card-head' },
        el('div', {}, identity(w)),
        stagePill(w.stage),
        view.verdicts ? verdictOf(view, w) : null,
      ),
      el(
        'dl',
        { class: 'fleet-card-figures' },
        view.columns.map((c) => {
          const figure = c.figure(w, missed);
          return el(
            'div',
            { 'data-column': c.key, class: figure.flag ? 'flagged' : undefined, title: figure.flag },
            el('dt', {}, c.heading),
            el('dd', { class: figure.negative ? 'negative' : undefined }, figure.text),
          );
        }),
      ),
    );
  });
