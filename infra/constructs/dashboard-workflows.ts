import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CatalogWorkflow } from '../../shared/catalog/schema.ts';
import { formatTarget } from '../../shared/format/rates.ts';
import { effectiveTargets } from '../../shared/verdicts/targets.ts';
import type { SampledRateOptions, YardstickOpsMetrics } from './ops-metrics.ts';

/** A catalog workflow as a dashboard row needs it. */
export type DashboardWorkflow = Pick<CatalogWorkflow, 'id' | 'name' | 'targets'>;

/** Height of one row of graphs, in dashboard grid units. */
export const ROW_HEIGHT = 6;

const RATE_AXIS: cloudwatch.YAxisProps = { min: 0, max: 1, showUnits: false, label: 'share of reviews' };
const COUNT_AXIS: cloudwatch.YAxisProps = { min: 0, showUnits: false, label: 'reviews' };

/**
 * Widget titles of a workflow's row, by what they show (stable: tests and runbooks refer to them).
 *
 * @example
 * ```ts
 * workflowWidgetTitles({ id: 'invoice-triage', name: 'Invoice triage' }).overrideRate;
 * // 'Invoice triage (invoice-triage): override rate'
 * ```
 */
export const workflowWidgetTitles = (workflow: Pick<DashboardWorkflow, 'id' | 'name'>) => {
  const prefix = `${workflow.name} (${workflow.id})`;
  return {
    valueAndCost: `${prefix}: reported value and cost, USD`,
    runs: `${prefix}: runs and latency`,
    overrideRate: `${prefix}: override rate`,
    acceptanceRate: `${prefix}: acceptance rate`,
  } as const;
};

/**
 * One dashboard row for a catalog workflow: reported value against cost, runs with p95 latency, and
 * the override and acceptance rates with the 95 % bound the trust alarms watch. Its targets (catalog
 * or default) are horizontal annotations, shaded on the side that misses them.
 */
export const workflowRow = (
  metrics: YardstickOpsMetrics,
  workflow: DashboardWorkflow,
  trust: SampledRateOptions = {},
): cloudwatch.IWidget[] => {
  const { id } = workflow;
  const period = trust.period;
  const targets = effectiveTargets(workflow.targets);
  const titles = workflowWidgetTitles(workflow);
  const reviews = metrics.workflow(id, 'reviews', { period, label: 'reviews' });
  const graph = (props: cloudwatch.GraphWidgetProps) =>
    new cloudwatch.GraphWidget({ width: 6, height: ROW_HEIGHT, ...props });

  return [
    graph({
      title: titles.valueAndCost,
      left: [
        metrics.workflow(id, 'reportedValueUsd', { period, label: 'reported value' }),
        metrics.workflow(id, 'costUsd', { period, label: 'cost' }),
      ],
      leftYAxis: { min: 0, showUnits: false, label: 'USD' },
    }),
    graph({
      title: titles.runs,
      left: [
        metrics.workflow(id, 'runs', { period, label: 'runs' }),
        metrics.workflow(id, 'succeeded', { period, label: 'succeeded' }),
        metrics.workflow(id, 'failed', { period, label: 'failed' }),
      ],
      right: [metrics.workflow(id, 'latencyMs', { period, statistic: 'p95', label: 'latency p95 (ms)' })],
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, showUnits: false, label: 'ms' },
    }),
    graph({
      title: titles.overrideRate,
      left: [metrics.overrideRate(id, period), metrics.overrideRateLow95(id, trust)],
      right: [reviews],
      leftAnnotations: [
        {
          value: targets.maxOverrideRate.value,
          label: formatTarget('≤', targets.maxOverrideRate),
          color: cloudwatch.Color.RED,
          fill: cloudwatch.Shading.ABOVE,
        },
      ],
      leftYAxis: RATE_AXIS,
      rightYAxis: COUNT_AXIS,
    }),
    graph({
      title: titles.acceptanceRate,
      left: [metrics.acceptanceRate(id, period), metrics.acceptanceRateHigh95(id, trust)],
      right: [reviews],
      leftAnnotations: [
        {
          value: targets.minAcceptanceRate.value,
          label: formatTarget('≥', targets.minAcceptanceRate),
          color: cloudwatch.Color.RED,
          fill: cloudwatch.Shading.BELOW,
        },
      ],
      leftYAxis: RATE_AXIS,
      rightYAxis: COUNT_AXIS,
    }),
  ];
};
