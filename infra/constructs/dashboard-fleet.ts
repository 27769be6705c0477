import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { WORKFLOW_DIMENSION } from '../../shared/telemetry/ingest-metrics.ts';
import { ROW_HEIGHT } from './dashboard-workflows.ts';
import type { YardstickOpsMetrics } from './ops-metrics.ts';

/** Widget titles of the fleet overview (stable: tests and runbooks refer to them). */
export const FleetWidgetTitle = {
  valueAndCost: 'Fleet: reported value and cost, USD (all workflows)',
  costByWorkflow: 'Fleet: cost by workflow, USD',
  valueByWorkflow: 'Fleet: reported value by workflow, USD',
  overrideRate: 'Fleet: override rate (all workflows)',
  runsByWorkflow: 'Fleet: runs by workflow',
  overridesByWorkflow: 'Fleet: overrides by workflow',
} as const;

/**
 * The fleet overview: every workflow that publishes per-workflow metrics, found by SEARCH on the
 * `WorkflowId` dimension (so workflows outside the catalog appear too with `PER_WORKFLOW_METRICS=all`),
 * and the fleet's totals and override rate by metric math over those searches.
 */
export const fleetRows = (metrics: YardstickOpsMetrics): cloudwatch.IWidget[][] => {
  const graph = (props: cloudwatch.GraphWidgetProps) =>
    new cloudwatch.GraphWidget({ width: 8, height: ROW_HEIGHT, ...props });
  const usd: cloudwatch.YAxisProps = { min: 0, showUnits: false, label: 'USD' };
  const count: cloudwatch.YAxisProps = { min: 0, showUnits: false };
  return [
    [
      new cloudwatch.TextWidget({
        markdown: `## Fleet\nEvery workflow that publishes per-workflow metrics (SEARCH on \`${WORKFLOW_DIMENSION}\`), per hour. Value is what workflows **reported**: catalog assumptions are applied only by the API and the digest.`,
        width: 24,
        height: 2,
      }),
    ],
    [
      graph({
        title: FleetWidgetTitle.valueAndCost,
        left: [
          metrics.fleetTotal('reportedValueUsd', { label: 'reported value' }),
          metrics.fleetTotal('costUsd', { label: 'cost' }),
        ],
        leftYAxis: usd,
      }),
      graph({
        title: FleetWidgetTitle.costByWorkflow,
        left: [metrics.fleetSearch('costUsd')],
        leftYAxis: usd,
      }),
      graph({
        title: FleetWidgetTitle.valueByWorkflow,
        left: [metrics.fleetSearch('reportedValueUsd')],
        leftYAxis: usd,
      }),
    ],
    [
      graph({
        title: FleetWidgetTitle.overrideRate,
        left: [metrics.fleetOverrideRate()],
        right: [metrics.fleetTotal('reviews', { label: 'reviews' })],
        leftYAxis: { min: 0, max: 1, showUnits: false, label: 'share of reviews' },
        rightYAxis: { ...count, label: 'reviews' },
      }),
      graph({
        title: FleetWidgetTitle.runsByWorkflow,
        left: [metrics.fleetSearch('runs')],
        leftYAxis: count,
      }),
      graph({
        title: FleetWidgetTitle.overridesByWorkflow,
        left: [metrics.fleetSearch('overrides')],
        leftYAxis: count,
      }),
    ],
  ];
};
