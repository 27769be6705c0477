// Chart.js is loaded as its local UMD build (index.html) and read from the global it defines; only
// its types are imported, so the bundle carries none of it.
import type { ChartConfiguration, Chart as ChartJs } from 'chart.js';

/** Chart colours of this page (the verdict colours come from the digest's palette). */
export const CHART_COLOURS = {
  value: '#15803d',
  valueFill: 'rgba(21, 128, 61, 0.12)',
  cost: '#dc2626',
  costBar: 'rgba(220, 38, 38, 0.55)',
  acceptance: '#2563eb',
  acceptanceBand: 'rgba(37, 99, 235, 0.13)',
  acceptanceFaint: 'rgba(37, 99, 235, 0.45)',
  override: '#d97706',
  overrideBand: 'rgba(217, 119, 6, 0.15)',
  overrideFaint: 'rgba(217, 119, 6, 0.5)',
  counted: '#15803d',
  duplicates: '#94a3b8',
  conflicts: '#d97706',
  quarantined: '#dc2626',
  grid: '#eef0f3',
  muted: '#6b7280',
} as const;

const chartJs = (): typeof ChartJs => (globalThis as unknown as { Chart: typeof ChartJs }).Chart;

/** Sets the fonts once, from the page's own. */
export const setChartDefaults = (fontFamily: string): void => {
  const { defaults } = chartJs();
  defaults.font.family = fontFamily;
  defaults.font.size = 11;
  defaults.color = '#4b5563';
};

/**
 * Draws a chart on a canvas already in the document (so it sizes to its box). Configs are plain
 * objects: datasets carry page-only flags (`legendHidden`) that Chart.js's types do not know.
 *
 * @example
 * ```ts
 * drawChart(canvas, { type: 'bar', data: { labels, datasets }, options: baseOptions(labels) });
 * ```
 */
export const drawChart = (canvas: HTMLCanvasElement, config: object): ChartJs =>
  new (chartJs())(canvas, config as ChartConfiguration);

const shortDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Options every chart shares: no animation, bottom legend without band datasets, sparse day ticks. */
export const baseOptions = (labels: readonly string[], compact = false) => ({
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  interaction: { mode: 'index', intersect: false },
  layout: { padding: { top: 4, right: 2 } },
  plugins: {
    legend: {
      position: 'bottom',
      labels: {
        boxWidth: 10,
        boxHeight: 10,
        padding: 8,
        filter: (item: { datasetIndex?: number }, data: { datasets: Array<{ legendHidden?: boolean }> }) =>
          !data.datasets[item.datasetIndex ?? -1]?.legendHidden,
      },
    },
    tooltip: { filter: (item: { dataset: { legendHidden?: boolean } }) => !item.dataset.legendHidden },
  },
  scales: {
    x: {
      grid: { display: false },
      // Long ranges label Mondays only (three weeks or less: Mondays and Thursdays); narrow charts Mondays.
      ticks: {
        maxRotation: 0,
        autoSkip: false,
        callback: (_value: unknown, index: number) => {
          const label = labels[index] ?? '';
          const weekday = new Date(label).getUTCDay();
          const shown =
            (!compact && labels.length <= 10) ||
            weekday === 1 ||
            (!compact && labels.length <= 21 && weekday === 4);
          return shown ? shortDate(label) : null;
        },
      },
    },
  },
});
