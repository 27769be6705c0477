import {
  formatBoundedRoi,
  formatCost,
  formatHoursSaved,
  formatNet,
  formatValue,
  formatValueCoverage,
} from '../../../../shared/format/figures.ts';
import { formatOptionalPercent as pct } from '../../../../shared/format/optional.ts';
import { formatCount } from '../../../../shared/format/rates.ts';
import { el } from './dom.ts';
import type { FleetTotals } from './fleet-figures.ts';

/** One KPI tile: what it is, the figure, and a note that qualifies it. */
export interface Kpi {
  readonly key: string;
  readonly label: string;
  readonly figure: string;
  readonly note: string;
}

/**
 * The fleet's tiles, figures through the shared formatters: value `unknown` or `≥ $x`, cost
 * `≥ $x` or `unpriced`, net and ROI `unknown` when they cannot be known.
 *
 * @example
 * ```ts
 * fleetKpis(fleetTotals(workflows)).find((k) => k.key === 'value')?.figure; // '≥ $1,200.00'
 * ```
 */
export const fleetKpis = (t: FleetTotals): Kpi[] => [
  {
    key: 'workflows',
    label: 'Workflows',
    figure: formatCount(t.workflows),
    note: `${formatCount(t.inCatalog)} in catalog`,
  },
  { key: 'runs', label: 'Runs', figure: formatCount(t.runs), note: 'outcome events' },
  {
    key: 'value',
    label: 'Value',
    figure: formatValue(t),
    note: formatValueCoverage(t.valueCoverage) ?? 'reported + assumed',
  },
  {
    key: 'cost',
    label: 'Cost',
    figure: formatCost(t),
    note: t.costComplete ? 'reported + priced' : 'some usage unpriced',
  },
  { key: 'net', label: 'Net value', figure: formatNet(t), note: `ROI ${formatBoundedRoi(t)}` },
  { key: 'hours', label: 'Hours saved', figure: formatHoursSaved(t.hoursSaved), note: 'reported + assumed' },
  {
    key: 'reviews',
    label: 'Reviews',
    figure: formatCount(t.reviews),
    note: `${pct(t.acceptanceRate)} accepted`,
  },
  { key: 'overridden', label: 'Overridden', figure: pct(t.overrideRate), note: 'edited or rejected' },
];

/** The tiles as elements (`data-kpi` names each, for tests and styling). */
export const kpiTiles = (kpis: readonly Kpi[]): HTMLElement[] =>
  kpis.map((k) =>
    el(
      'div',
      { class: 'kpi', 'data-kpi': k.key },
      el('div', { class: 'kpi-label' }, k.label),
      el('div', { class: 'kpi-value' }, k.figure),
      el('div', { class: 'kpi-note' }, k.note),
    ),
  );
