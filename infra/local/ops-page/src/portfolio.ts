// The portfolio panel: the digest's portfolio (what GET /portfolio serves) drawn with the digest's own wording
// (shared/portfolio/present.ts), so page, e-mail and API never disagree. Rows are blocks whose facts wrap, so it fits a phone.

import { VERDICT_COLOURS } from '../../../../shared/digest/html-parts.ts';
import type { FunnelEntry, Portfolio, PortfolioFigures } from '../../../../shared/portfolio/model.ts';
import {
  entryStatus,
  entryTitle,
  funnelSummary,
  historySource,
  newWorkflowText,
  portfolioFacts,
  workflowMix,
} from '../../../../shared/portfolio/present.ts';
import { VERDICT_INFO } from '../../../../shared/verdicts/verdict.ts';
import { el } from './dom.ts';

const group = (key: string, label: string, f: PortfolioFigures, total = false) =>
  el(
    'li',
    { class: total ? 'pf-row pf-total' : 'pf-row', 'data-group': key },
    el('div', { class: 'pf-head' }, el('b', {}, label), ' ', el('span', { class: 'hint' }, workflowMix(f))),
    el(
      'dl',
      { class: 'pf-facts' },
      portfolioFacts(f).map(([name, text]) =>
        el(
          'div',
          { 'data-fact': name.toLowerCase().replace(/\s+/g, '-') },
          el('dt', {}, name),
          el('dd', {}, text),
        ),
      ),
    ),
  );

const table = (id: string, title: string, rows: Portfolio['byOwnerTeam'], totals: PortfolioFigures) =>
  el(
    'div',
    { class: 'pf-table' },
    el('h3', { class: 'sub-title' }, title),
    el(
      'ul',
      { class: 'pf-rows', id },
      rows.map((r) => group(r.key, r.label, r)),
      group('total', 'Total', totals, true),
    ),
  );

const historyChips = (entry: FunnelEntry) =>
  el(
    'span',
    { class: 'pf-history', 'aria-label': `verdicts, oldest first` },
    entry.history.map((h) => {
      const chip = el(
        'span',
        {
          class: 'pf-chip',
          title: `${h.week}: ${h.verdict === null ? 'no archived digest' : VERDICT_INFO[h.verdict].label}`,
        },
        h.verdict === null ? '–' : VERDICT_INFO[h.verdict].label.charAt(0),
      );
      if (h.verdict !== null) chip.style.background = VERDICT_COLOURS[h.verdict];
      return chip;
    }),
  );

const funnelItem = (entry: FunnelEntry) =>
  el(
    'li',
    { 'data-workflow': entry.workflowId, 'data-action': entry.action?.code ?? null },
    entry.action
      ? el(
          'b',
          { class: `pf-action pf-${entry.action.code}` },
          entry.action.code === 'ready-to-promote' ? 'Ready to promote' : 'Decide whether to stop',
        )
      : null,
    ' ',
    el('span', {}, `${entryTitle(entry)}: ${entryStatus(entry)}.`),
    ' ',
    historyChips(entry),
  );

/**
 * The portfolio panel's content: summary, the two tables with their totals, and the pilot funnel.
 *
 * @example
 * ```ts
 * byId('portfolio', HTMLDivElement).replaceChildren(...portfolioView(await api.portfolio('2026-W47')));
 * ```
 */
export const portfolioView = (p: Portfolio): HTMLElement[] => [
  el(
    'p',
    { class: 'pf-summary', id: 'portfolio-summary' },
    `${workflowMix(p.totals)}; ${funnelSummary(p.funnel)}.`,
  ),
  el(
    'div',
    { class: 'pf-tables' },
    table('portfolio-functions', 'By business function', p.byBusinessFunction, p.totals),
    table('portfolio-teams', 'By owner team', p.byOwnerTeam, p.totals),
  ),
  el('h3', { class: 'sub-title' }, 'Pilot funnel'),
  el('p', { class: 'hint' }, historySource(p)),
  el(
    'ul',
    { class: 'pf-funnel', id: 'portfolio-funnel' },
    p.funnel.entries.map(funnelItem),
    p.funnel.newWorkflows.length > 0
      ? el(
          'li',
          { 'data-new': 'true' },
          `New, not in the catalog: ${p.funnel.newWorkflows.map(newWorkflowText).join(', ')}.`,
        )
      : null,
  ),
];
