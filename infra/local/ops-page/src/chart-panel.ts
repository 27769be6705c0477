import type { WorkflowListEntry, WorkflowMetricsResponse } from './api.ts';
import type { CardPanel } from './cards.ts';
import { el } from './dom.ts';

// A chart narrower than this labels Mondays only, so day labels never overlap.
const COMPACT_CHART_PX = 480;

/** A chart of a workflow's daily metrics: what it shows, and how to draw it on its canvas. */
export interface ChartSpec {
  readonly key: string;
  /** What the chart shows, for screen readers: `<workflowId>: <label>`. */
  readonly label: string;
  readonly caption: (metrics: WorkflowMetricsResponse) => string;
  readonly draw: (
    canvas: HTMLCanvasElement,
    metrics: WorkflowMetricsResponse,
    w: WorkflowListEntry,
    compact: boolean,
  ) => void;
}

/**
 * A card panel holding one chart: a captioned canvas, drawn once the card is in the document (Chart.js
 * sizes a chart to its box), in compact form when the box is narrow.
 *
 * @example
 * ```ts
 * const valuePanel = chartPanel({ key: 'value', label: 'value and cost per day', caption: () => 'USD per day',
 *   draw: (canvas, metrics, _w, compact) => valueCostChart(canvas, metrics.series, compact) });
 * ```
 */
export const chartPanel = (spec: ChartSpec): CardPanel => ({
  key: spec.key,
  render: ({ metrics }, w) => {
    const canvas = el('canvas', {
      id: `chart-${spec.key}-${w.workflowId}`,
      role: 'img',
      'aria-label': `${w.workflowId}: ${spec.label}`,
    });
    return {
      node: el(
        'figure',
        {},
        el('figcaption', {}, spec.caption(metrics)),
        el('div', { class: 'chart-box' }, canvas),
      ),
      draw: () => spec.draw(canvas, metrics, w, (canvas.parentElement?.clientWidth ?? 0) < COMPACT_CHART_PX),
    };
  },
});
