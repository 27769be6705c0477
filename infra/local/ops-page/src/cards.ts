import { formatBoundedRoi, formatCost, formatValue } from '../../../../shared/format/figures.ts';
import { NO_RATE } from '../../../../shared/format/optional.ts';
import { formatCount, formatRateWithInterval, plural } from '../../../../shared/format/rates.ts';
import type { DigestWorkflow, WorkflowListEntry, WorkflowMetricsResponse } from './api.ts';
import { stagePill, verdictBadge } from './badges.ts';
import { el } from './dom.ts';

/**
 * One chart of a workflow's card. The card lays panels out side by side (stacked on a phone); a new
 * view of a workflow, such as its variants with their intervals, is one more panel.
 */
export interface CardPanel {
  /** Part of the canvas id: `chart-<key>-<workflowId>`. */
  readonly key: string;
  readonly caption: (metrics: WorkflowMetricsResponse) => string;
  readonly label: string;
  readonly draw: (
    canvas: HTMLCanvasElement,
    metrics: WorkflowMetricsResponse,
    w: WorkflowListEntry,
    compact: boolean,
  ) => void;
}

/** A card and the draws to run once it is in the document (charts size to their boxes). */
export interface WorkflowCard {
  readonly node: HTMLElement;
  readonly draw: () => void;
}

// A chart narrower than this labels Mondays only, so day labels never overlap.
const COMPACT_CHART_PX = 480;

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
 * const card = workflowCard(entry, metrics, verdict, [valuePanel, trustPanel]);
 * cards.append(card.node);
 * card.draw();
 * ```
 */
export const workflowCard = (
  w: WorkflowListEntry,
  metrics: WorkflowMetricsResponse,
  verdict: DigestWorkflow | undefined,
  panels: readonly CardPanel[],
): WorkflowCard => {
  const t = metrics.totals;
  const canvases = panels.map((panel) =>
    el('canvas', {
      id: `chart-${panel.key}-${w.workflowId}`,
      role: 'img',
      'aria-label': `${w.workflowId}: ${panel.label}`,
    }),
  );
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
      panels.map((panel, i) =>
        el(
          'figure',
          {},
          el('figcaption', {}, panel.caption(metrics)),
          el('div', { class: 'chart-box' }, canvases[i]),
        ),
      ),
    ),
    cardNotes.length ? el('p', { class: 'card-note' }, cardNotes.join(' · ')) : null,
  );
  const draw = () =>
    panels.forEach((panel, i) => {
      const canvas = canvases[i];
      if (canvas) panel.draw(canvas, metrics, w, (canvas.parentElement?.clientWidth ?? 0) < COMPACT_CHART_PX);
    });
  return { node, draw };
};
