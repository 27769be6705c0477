import { MIN_REVIEWS_FOR_TRUST } from '../../../../shared/verdicts/verdict.ts';
import type { CardPanel } from './cards.ts';
import { chartPanel } from './chart-panel.ts';
import { trustChart } from './trust-chart.ts';
import { valueCostChart } from './value-chart.ts';
import { variantsPanel } from './variants-panel.ts';

/** Value against cost per day. */
export const valuePanel: CardPanel = chartPanel({
  key: 'value',
  label: 'value and cost per day',
  caption: () => 'Value against cost, USD per day',
  draw: (canvas, metrics, _w, compact) => valueCostChart(canvas, metrics.series, compact),
});

/** Acceptance and override rates per day, with intervals and targets. */
export const trustPanel: CardPanel = chartPanel({
  key: 'trust',
  label: 'acceptance and override rates per day',
  caption: (metrics) =>
    metrics.totals.reviews === 0
      ? 'Accepted and overridden: no human reviews in range'
      : 'Accepted and overridden, share of reviews',
  draw: (canvas, metrics, w, compact) => trustChart(canvas, metrics.series, w.targets, compact),
});

/** The panels every charted workflow gets, in order; one returns null where it has nothing to show. */
export const WORKFLOW_PANELS: readonly CardPanel[] = [valuePanel, trustPanel, variantsPanel];

/** The trends section's hint: what the bands, dashes and dots mean. */
export const trendsHint = (days: number): string =>
  `last ${days} days, daily (UTC) · rates with their 95 % Wilson interval (band); dashed: days with fewer than ${MIN_REVIEWS_FOR_TRUST} reviews; dotted: catalog targets`;
