import { DEFAULT_VARIANT } from '../../events/schemas.ts';
import type { LoadedCatalog } from '../catalog/load.ts';
import type { VariantAssignmentName } from '../catalog/schema.ts';
import { type Counters, emptyCounters, mergeCounters, subtractCounters } from '../metrics/counters.ts';
import { type Arm, compareVariants, type VariantComparison } from '../metrics/variant-comparison.ts';
import { type VariantMetrics, variantMetrics } from '../metrics/variant-metrics.ts';
import type { MetricsStore } from '../store/port.ts';
import type { GranularityName } from '../time.ts';
import { type MetricsRange, readRange } from './metrics-query.ts';

export interface WorkflowVariantsResponse {
  readonly workflowId: string;
  readonly from: string;
  readonly to: string;
  readonly granularity: GranularityName;
  /** The catalog's `baselineVariant`; null when the workflow declares none (then nothing is compared). */
  readonly baselineVariant: string | null;
  readonly assignment: VariantAssignmentName;
  readonly laborCostPerHourUsd: number | null;
  readonly variants: ReadonlyArray<{ readonly variant: string; readonly metrics: VariantMetrics }>;
  /** Each variant against the baseline; empty without a baseline or when the baseline has no data. */
  readonly comparisons: readonly VariantComparison[];
}

const hasData = (arm: Arm): boolean =>
  arm.metrics.runs > 0 || arm.metrics.usageEvents > 0 || arm.metrics.reviews > 0;

/**
 * A workflow's variants over a range from its counters, each with its metrics and each compared with
 * the catalog's baseline variant: `total` is the workflow's, `named` each named variant's share (the
 * `default` variant is the total minus them, listed only when it has data). Pure, so the digest builds
 * the same answer from the fleet rollup as the API does from the workflow's own items.
 *
 * @example
 * ```ts
 * const response = variantsFromCounters(catalog, range, total, new Map([['ai', aiTotal]]));
 * ```
 */
export const variantsFromCounters = (
  catalog: LoadedCatalog,
  range: MetricsRange,
  total: Counters,
  named: ReadonlyMap<string, Counters>,
): WorkflowVariantsResponse => {
  const entry = catalog.workflow(range.workflowId);
  const assumptions = catalog.assumptionsFor(range.workflowId);
  const laborCostPerHourUsd = entry?.laborCostPerHourUsd ?? null;
  const assignment = entry?.assignment ?? 'observational';
  const names = [...named.keys()].sort();
  let rest = mergeCounters(emptyCounters(), total);
  for (const part of named.values()) rest = subtractCounters(rest, part);
  const arm = (variant: string, counters: Counters): Arm => ({
    variant,
    counters,
    metrics: variantMetrics(counters, assumptions, laborCostPerHourUsd),
  });
  const arms = [
    arm(DEFAULT_VARIANT, rest),
    ...names.map((variant) => arm(variant, named.get(variant) ?? emptyCounters())),
  ].filter((a) => a.variant !== DEFAULT_VARIANT || hasData(a) || names.length === 0);

  const baselineVariant = entry?.baselineVariant ?? null;
  const baseline = arms.find((a) => a.variant === baselineVariant);
  const comparisons =
    baseline && hasData(baseline)
      ? arms
          .filter((a) => a !== baseline && hasData(a))
          .map((a) => compareVariants(a, baseline, { laborCostPerHourUsd, assignment }))
      : [];
  return {
    workflowId: range.workflowId,
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    granularity: range.granularity,
    baselineVariant,
    assignment,
    laborCostPerHourUsd,
    variants: arms.map(({ variant, metrics }) => ({ variant, metrics })),
    comparisons,
  };
};

/**
 * A workflow's variants over a range, each with its metrics, and each compared with the catalog's
 * baseline variant. Named variants are read from their own counters; `default` is the workflow's totals
 * minus the named ones, so it is listed only when it has data.
 *
 * @example
 * ```ts
 * const { comparisons } = await queryWorkflowVariants(store, catalog, { workflowId: 'invoice-triage', fromMs, toMs, granularity: 'day' });
 * comparisons[0]?.measuredValueUsd; // { estimate, low95, high95, runs, claimed, minimumPerArm }
 * ```
 */
export const queryWorkflowVariants = async (
  store: MetricsStore,
  catalog: LoadedCatalog,
  range: MetricsRange,
): Promise<WorkflowVariantsResponse> => {
  const named = await store.variantsOf(range.workflowId);
  const [{ total }, ...namedTotals] = await Promise.all([
    readRange(store, range),
    ...named.map((variant) => readRange(store, range, variant)),
  ]);
  return variantsFromCounters(
    catalog,
    range,
    total,
    new Map(named.map((variant, i) => [variant, namedTotals[i]?.total ?? emptyCounters()])),
  );
};
