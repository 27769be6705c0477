import { formatUsd } from '../../../../shared/format/money.ts';
import type { WorkflowMetricsResponse } from './api.ts';
import { baseOptions, CHART_COLOURS, drawChart } from './chart-base.ts';

/**
 * Value (line, left axis) against cost (bars, right axis) per day. A day with no value source has
 * no point (a gap), never a zero: unknown is not zero.
 *
 * @example
 * ```ts
 * valueCostChart(canvas, metrics.series, canvas.clientWidth < 480);
 * ```
 */
export const valueCostChart = (
  canvas: HTMLCanvasElement,
  series: WorkflowMetricsResponse['series'],
  compact: boolean,
) => {
  const labels = series.map((s) => s.start);
  const options = baseOptions(labels, compact);
  return drawChart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: 'Value',
          data: series.map((s) => s.valueUsd),
          yAxisID: 'value',
          borderColor: CHART_COLOURS.value,
          backgroundColor: CHART_COLOURS.valueFill,
          fill: 'origin',
          borderWidth: 1.75,
          pointRadius: 0,
          tension: 0,
          order: 1,
        },
        {
          type: 'bar',
          label: 'Cost (right axis)',
          data: series.map((s) => s.costUsd),
          yAxisID: 'cost',
          backgroundColor: CHART_COLOURS.costBar,
          borderWidth: 0,
          barPercentage: 0.7,
          categoryPercentage: 0.9,
          order: 2,
        },
      ],
    },
    options: {
      ...options,
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: {
            label: (c: { dataset: { label: string }; parsed: { y: number | null } }) =>
              ` ${c.dataset.label.replace(' (right axis)', '')}: ${formatUsd(c.parsed.y)}`,
          },
        },
      },
      scales: {
        ...options.scales,
        value: {
          position: 'left',
          beginAtZero: true,
          grid: { color: CHART_COLOURS.grid },
          ticks: { color: CHART_COLOURS.value, maxTicksLimit: 5, callback: (v: number) => formatUsd(v) },
        },
        cost: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { color: CHART_COLOURS.cost, maxTicksLimit: 5, callback: (v: number) => formatUsd(v) },
        },
      },
    },
  });
};
