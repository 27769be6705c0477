import { formatBoundedRoi, formatCost, formatValue } from '../../../../shared/format/figures.ts';
import { NO_RATE } from '../../../../shared/format/optional.ts';
import { formatCount, formatRateWithInterval, plural } from '../../../../shared/format/rates.ts';
import type {
  DigestWorkflow,
  WorkflowListEntry,
  WorkflowMetricsResponse,
  WorkflowVariantsResponse,
} from './api.ts';
import { stagePill, verdictBadge } from './badges.ts';
import { el } from './dom.ts';

/** What a card's panels read: the workflow's daily metrics and its variants over the page's range. */
export interface CardData {
  readonly metrics: WorkflowMetricsResponse;
  readonly variants: WorkflowVariantsResponse;
}

/** A panel as one card shows it: its figure, and what to run once the figure is in the document. */
export interface PanelView {
  readonly node: HTMLElement;
  /** Spans the card's width instead of sitting beside the other panels. */
  readonly wide?: boolean;
  readonly draw?: () => void;
}

/**
 * One view of a workflow in its card. The card lays panels out side by side (stacked on a phone); a
 * new view of a workflow, such as its variants with their intervals, is one more panel.
 */
export interface CardPanel {
  /** Names the panel in the page: `data-panel="<key>"`, and chart canvases `chart-<key>-<workflowId>`. */
  readonly key: string;
  /** This workflow's view, or null when it has nothing to show (a workflow without variants, say). */
  readonly render: (data: CardData, w: WorkflowListEntry) => PanelView | null;
}

/** A card and the draws to run once it is in the document (charts size to their boxes). */
export interface WorkflowCard {
  readonly node: HTMLElement;
  readonly draw: () => void;
}

const notes = (t: WorkflowMetricsResponse['totals']): string[] => [
  ...(t.unpricedUsageEvents > 0
    ? [`${plural(t.unpricedUsageEvents, 'usage event')} unpriced: cost is a lower bound`]
    : []),
  ...(t.valueUsd === null && t.runs > 0
    ? ['no value data: report valueUsd or add a catalog assumption']
    : []),
];

/**
 * A workflow's card: headline figures over the chart range (the same shared formatters as the fleet
 * table) and one figure per panel.
 *
 * @example
 * ```ts
 * const card = workflowCard(entry, { metrics, variants }, verdict, WORKFLOW_PANELS);
 * cards.append(card.node);
 * card.draw();
 * ```
 */
export const workflowCard = (
  w: WorkflowListEntry,
  data: CardData,
  verdict: DigestWorkflow | undefined,
  panels: readonly CardPanel[],
): WorkflowCard => {
  const t = data.metrics.totals;
  const views = panels.flatMap((panel) => {
    const view = panel.render(data, w);
    if (!view) return [];
    view.node.dataset.panel = panel.key;
    if (view.wide) view.node.classList.add('wide');
    return [view];
  });
  const figures: Array<[string, string]> = [
    ['runs', formatCount(t.runs)],
    ['value', formatValue(t)],
    ['cost', formatCost(t)],
    ['ROI', formatBoundedRoi(t)],
    [
      'accepted',
      t.acceptanceRate === null
        ? NO_RATE
        : formatRateWithInterval(t.acceptanceRate, t.acceptanceRateLow95, t.acceptanceRateHigh95),
    ],
  ];
  const cardNotes = notes(t);
  const node = el(
    'article',
    { class: 'card', id: `wf-${w.workflowId}`, 'data-workflow': w.workflowId },
    el(
      'header',
      { class: 'card-head' },
      el(
        'div',
        { class: 'card-title' },
        el('h3', {}, w.workflowId),
        stagePill(w.stage),
        verdict ? verdictBadge(verdict) : null,
      ),
      el(
        'dl',
        { class: 'card-figures' },
        figures.map(([label, figure]) =>
          el('div', { 'data-figure': label }, el('dt', {}, label), el('dd', {}, figure)),
        ),
      ),
    ),
    el(
      'div',
      { class: 'card-charts' },
      views.map((view) => view.node),
    ),
    cardNotes.length ? el('p', { class: 'card-note' }, cardNotes.join(' · ')) : null,
  );
  const draw = () => {
    for (const view of views) view.draw?.();
  };
  return { node, draw };
};
