import type { WorkflowVariantsResponse } from './api.ts';
import { barGeometry } from './bar-geometry.ts';
import type { CardPanel } from './cards.ts';
import { el } from './dom.ts';
import { intervalBar } from './interval-bar.ts';
import { ArmFigure, type ArmFigureName, type ArmView, armViews, showsVariants } from './variant-arms.ts';
import { type DifferenceRow, differenceRows } from './variant-differences.ts';

const armNode = (arm: ArmView) =>
  el(
    'div',
    { class: 'variant-arm', 'data-variant': arm.variant },
    el(
      'div',
      { class: 'variant-name' },
      el('strong', {}, arm.variant),
      arm.baseline ? el('span', { class: 'pill' }, 'baseline') : null,
      arm.humanOnly ? el('span', { class: 'pill' }, 'human-only') : null,
    ),
    el(
      'dl',
      {},
      (Object.keys(ArmFigure) as ArmFigureName[]).map((key) =>
        el(
          'div',
          { class: 'variant-figure', 'data-figure': key },
          el('dt', {}, ArmFigure[key]),
          el('dd', {}, arm.figures[key]),
        ),
      ),
    ),
  );

const differenceNode = (row: DifferenceRow) =>
  el(
    'div',
    { class: `difference ${row.state}`, 'data-difference': row.key, 'data-state': row.state },
    el('span', { class: 'difference-label' }, row.label),
    el('span', { class: 'difference-text' }, row.text),
    row.interval ? intervalBar(barGeometry(row.interval), `${row.label}: ${row.text}`) : null,
    row.note ? el('span', { class: 'difference-note' }, row.note) : null,
  );

const comparisonsOf = (response: WorkflowVariantsResponse) => {
  const metricsOf = new Map(response.variants.map((v) => [v.variant, v.metrics]));
  return response.comparisons.flatMap((c) => {
    const variant = metricsOf.get(c.variant);
    const baseline = metricsOf.get(c.baseline);
    if (!variant || !baseline) return [];
    const rows = differenceRows(c, { variant, baseline, laborCostPerHourUsd: response.laborCostPerHourUsd });
    return [
      el(
        'div',
        { class: 'comparison', 'data-variant': c.variant, 'data-baseline': c.baseline },
        el(
          'div',
          { class: 'comparison-head' },
          el('strong', {}, `${c.variant} − ${c.baseline}`),
          // Only random assignment isolates the variant's effect; anything else may be confounded.
          c.possiblyConfounded
            ? el('span', { class: 'pill confounded', 'data-design': 'observational' }, 'possibly confounded')
            : el('span', { class: 'pill', 'data-design': 'randomized' }, 'randomised'),
        ),
        rows.map(differenceNode),
      ),
    ];
  });
};

/** Why nothing is compared: no baseline in the catalog, or the baseline (or every other arm) has no data. */
const noComparison = (response: WorkflowVariantsResponse) =>
  response.baselineVariant === null
    ? 'No baseline variant in the catalog (baselineVariant): variants are shown, not compared.'
    : `Nothing compared: the baseline ${response.baselineVariant} or every other variant has no data in range.`;

/**
 * A workflow's variants side by side (runs, rates with their Wilson intervals, mean duration, AI and
 * labour cost per run), then each comparison with the baseline as a forest plot: difference and 95 %
 * interval per row, greyed out below the per-arm minimum, `unknown` where the API has null. Shown only
 * for a workflow with more than one variant or a comparison.
 *
 * @example
 * ```ts
 * variantsPanel.render({ metrics, variants }, entry); // null for a workflow with only `default`
 * ```
 */
export const variantsPanel: CardPanel = {
  key: 'variants',
  render: ({ variants: response }, w) => {
    if (!showsVariants(response)) return null;
    const comparisons = comparisonsOf(response);
    const caption =
      response.baselineVariant === null
        ? 'Variants'
        : `Variants against the baseline ${response.baselineVariant}: difference (variant − baseline) with its 95 % interval`;
    return {
      wide: true,
      node: el(
        'figure',
        { class: 'variants', 'aria-label': `${w.workflowId}: variants` },
        el('figcaption', {}, caption),
        el('div', { class: 'variant-arms' }, armViews(response).map(armNode)),
        comparisons.length ? comparisons : el('p', { class: 'hint' }, noComparison(response)),
      ),
    };
  },
};
