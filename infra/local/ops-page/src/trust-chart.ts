import { formatOptionalPercent as pct } from '../../../../shared/format/optional.ts';
import { MIN_REVIEWS_FOR_TRUST } from '../../../../shared/verdicts/verdict.ts';
import type { WorkflowListEntry, WorkflowMetricsResponse } from './api.ts';
import { baseOptions, CHART_COLOURS, drawChart } from './chart-base.ts';

type Series = WorkflowMetricsResponse['series'];

const band = (label: string, data: Array<number | null>, colour: string, fill: string | false) => ({
  label,
  data,
  legendHidden: true,
  borderWidth: 0,
  pointRadius: 0,
  pointHitRadius: 0,
  backgroundColor: colour,
  fill,
  tension: 0,
});

// Points grow with the day's reviews; segments touching a day with fewer reviews than the digest's
// trust rules need (MIN_REVIEWS_FOR_TRUST) are dashed and faint: too few to show trust.
const rateLine = (
  label: string,
  data: Array<number | null>,
  colour: string,
  faint: string,
  series: Series,
) => {
  const few = (index: number) => (series[index]?.reviews ?? 0) < MIN_REVIEWS_FOR_TRUST;
  const thin = (ctx: { p0DataIndex: number; p1DataIndex: number }) =>
    few(ctx.p0DataIndex) || few(ctx.p1DataIndex);
  return {
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 1.5,
    pointRadius: series.map((s) => (s.reviews > 0 ? Math.min(3.5, 0.8 + Math.sqrt(s.reviews) / 2) : 0)),
    clip: 5,
    segment: {
      borderColor: (ctx: { p0DataIndex: number; p1DataIndex: number }) => (thin(ctx) ? faint : undefined),
      borderDash: (ctx: { p0DataIndex: number; p1DataIndex: number }) => (thin(ctx) ? [3, 3] : undefined),
    },
    tension: 0,
  };
};

const targetLine = (label: string, target: number, length: number, colour: string) => ({
  label,
  legendHidden: true,
  data: Array.from({ length }, () => target),
  borderColor: colour,
  borderDash: [1, 3],
  borderWidth: 1.25,
  pointRadius: 0,
  backgroundColor: 'transparent',
});

/**
 * Acceptance and override rates per day, each with its 95 % Wilson interval as a band and the
 * catalog targets as dotted lines.
 *
 * @example
 * ```ts
 * trustChart(canvas, metrics.series, entry.targets, false);
 * ```
 */
export const trustChart = (
  canvas: HTMLCanvasElement,
  series: Series,
  targets: WorkflowListEntry['targets'],
  compact: boolean,
) => {
  const labels = series.map((s) => s.start);
  const options = baseOptions(labels, compact);
  const c = CHART_COLOURS;
  const datasets: object[] = [
    band(
      'Acceptance 95 % low',
      series.map((s) => s.acceptanceRateLow95),
      'transparent',
      false,
    ),
    band(
      'Acceptance 95 % high',
      series.map((s) => s.acceptanceRateHigh95),
      c.acceptanceBand,
      '-1',
    ),
    rateLine(
      'Accepted',
      series.map((s) => s.acceptanceRate),
      c.acceptance,
      c.acceptanceFaint,
      series,
    ),
    band(
      'Override 95 % low',
      series.map((s) => s.overrideRateLow95),
      'transparent',
      false,
    ),
    band(
      'Override 95 % high',
      series.map((s) => s.overrideRateHigh95),
      c.overrideBand,
      '-1',
    ),
    rateLine(
      'Overridden',
      series.map((s) => s.overrideRate),
      c.override,
      c.overrideFaint,
      series,
    ),
  ];
  if (targets?.minAcceptanceRate !== undefined)
    datasets.push(targetLine('Acceptance target', targets.minAcceptanceRate, series.length, c.acceptance));
  if (targets?.maxOverrideRate !== undefined)
    datasets.push(targetLine('Override limit', targets.maxOverrideRate, series.length, c.override));
  const describe = (label: string, index: number, y: number | null) => {
    const s = series[index];
    if (!s) return '';
    if (label === 'Accepted')
      return ` Accepted ${pct(s.acceptanceRate)} (95 %: ${pct(s.acceptanceRateLow95)}–${pct(s.acceptanceRateHigh95)}) of ${s.reviews}`;
    if (label === 'Overridden')
      return ` Overridden ${pct(s.overrideRate)} (95 %: ${pct(s.overrideRateLow95)}–${pct(s.overrideRateHigh95)})`;
    return ` ${label}: ${pct(y)}`;
  };
  return drawChart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      ...options,
      spanGaps: false,
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: {
            label: (ctx: { dataset: { label: string }; dataIndex: number; parsed: { y: number | null } }) =>
              describe(ctx.dataset.label, ctx.dataIndex, ctx.parsed.y),
          },
        },
      },
      scales: {
        ...options.scales,
        y: {
          min: 0,
          max: 1,
          grid: { color: c.grid },
          ticks: { stepSize: 0.25, callback: (v: number) => pct(v) },
        },
      },
    },
  });
};
