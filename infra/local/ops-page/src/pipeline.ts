import { formatCount } from '../../../../shared/format/rates.ts';
import type { PipelineCounterName, PipelineResponse } from './api.ts';
import { baseOptions, CHART_COLOURS, drawChart } from './chart-base.ts';
import { el } from './dom.ts';

/** How each counter is titled here; what it counts is the API's own description (GET /pipeline). */
const TITLES: Record<PipelineCounterName, string> = {
  received: 'Received',
  counted: 'Counted',
  duplicates: 'Duplicates dropped',
  conflicts: 'Conflicts',
  quarantined: 'Quarantined',
};

const COLOURS: Record<PipelineCounterName, string | null> = {
  received: null,
  counted: CHART_COLOURS.counted,
  duplicates: CHART_COLOURS.duplicates,
  conflicts: CHART_COLOURS.conflicts,
  quarantined: CHART_COLOURS.quarantined,
};

/**
 * Each counter's total over the range, in the order the API lists them.
 *
 * @example
 * ```ts
 * pipelineTotals(response).counted; // distinct events counted over the range
 * ```
 */
export const pipelineTotals = (pipeline: PipelineResponse): Record<PipelineCounterName, number> => {
  const names = Object.keys(pipeline.counters) as PipelineCounterName[];
  return Object.fromEntries(
    names.map((name) => [name, pipeline.days.reduce((sum, d) => sum + (d[name] ?? 0), 0)]),
  ) as Record<PipelineCounterName, number>;
};

/**
 * The counters (title, total, and what it counts as the API says) and a stacked bar chart by day.
 *
 * @example
 * ```ts
 * renderPipeline(list, canvas, response, rangeDays(range));
 * ```
 */
export const renderPipeline = (
  list: HTMLElement,
  canvas: HTMLCanvasElement,
  pipeline: PipelineResponse,
  labels: readonly string[],
): Record<PipelineCounterName, number> => {
  const totals = pipelineTotals(pipeline);
  const names = Object.keys(pipeline.counters) as PipelineCounterName[];
  list.replaceChildren(
    ...names.map((name) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = COLOURS[name] ?? 'transparent';
      swatch.style.borderColor = COLOURS[name] ?? CHART_COLOURS.muted;
      return el(
        'div',
        { class: 'counter', 'data-counter': name },
        swatch,
        el('span', { class: 'counter-label' }, TITLES[name]),
        el('span', { class: 'counter-value' }, formatCount(totals[name])),
        el('span', { class: 'counter-meaning' }, pipeline.counters[name]),
      );
    }),
    el('p', { class: 'counter-note' }, `over ${labels.length} days, by arrival day`),
  );
  const byDay = new Map(pipeline.days.map((d) => [d.day, d]));
  const options = baseOptions(labels, labels.length > 21);
  drawChart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: names.flatMap((name) => {
        const colour = COLOURS[name];
        if (!colour) return [];
        const data = labels.map((day) => byDay.get(day)?.[name] ?? 0);
        return [
          {
            label: TITLES[name],
            data,
            backgroundColor: colour,
            borderWidth: 0,
            barPercentage: 0.9,
            categoryPercentage: 0.9,
          },
        ];
      }),
    },
    options: {
      ...options,
      scales: {
        x: { ...options.scales.x, stacked: true },
        y: {
          stacked: true,
          beginAtZero: true,
          grid: { color: CHART_COLOURS.grid },
          ticks: { maxTicksLimit: 5, precision: 0 },
        },
      },
    },
  });
  return totals;
};
