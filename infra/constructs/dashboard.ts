import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { PerWorkflowMetrics, type PerWorkflowMetricsName } from '../../shared/telemetry/ingest-metrics.ts';
import { fleetRows } from './dashboard-fleet.ts';
import { pipelineRows } from './dashboard-pipeline.ts';
import { type DashboardWorkflow, ROW_HEIGHT, workflowRow } from './dashboard-workflows.ts';
import type { SampledRateOptions, YardstickOpsMetrics } from './ops-metrics.ts';

/** Options of the ops dashboard. */
export interface OpsDashboardOptions {
  /**
   * Set to `false` to deploy without the dashboard ($3 a month beyond an account's first three).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Dashboard name. Dashboards are global to the account, so a fixed name collides across regions.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Catalog workflows drawn as rows, in catalog order; the fleet graphs still show them all. Keeps
   * the dashboard under CloudWatch's 2,500 metrics and the template small.
   * @default 50
   */
  readonly maxWorkflowRows?: number;
}

export interface OpsDashboardProps extends Omit<OpsDashboardOptions, 'enabled'> {
  readonly metrics: YardstickOpsMetrics;
  /** The catalog workflows, one row each. @default - none */
  readonly workflows?: readonly DashboardWorkflow[];
  /**
   * What the aggregate function publishes per workflow; with `'off'` the fleet and workflow sections
   * are replaced by a note.
   * @default 'catalog'
   */
  readonly perWorkflowMetrics?: PerWorkflowMetricsName;
  /** Drawn as the bounds the trust alarms watch. @default - one-hour periods, no minimum of reviews */
  readonly trust?: SampledRateOptions;
  /** Shown in the alarm status widget at the top. @default - none */
  readonly alarms?: readonly cloudwatch.IAlarm[];
}

/** The default {@link OpsDashboardOptions.maxWorkflowRows}. */
export const DEFAULT_MAX_WORKFLOW_ROWS = 50;

/**
 * The ops dashboard, top to bottom: a header with the alarm status, the fleet overview (SEARCH over
 * every workflow), one row per catalog workflow with its targets as horizontal annotations, and
 * pipeline health. Widgets come from `dashboard-*.ts`, metrics from {@link YardstickOpsMetrics}.
 *
 * @example
 * ```ts
 * new OpsDashboard(this, 'Dashboard', {
 *   metrics, workflows: catalog.catalog.workflows, alarms: [...alarms.all, ...trust.alarms],
 * });
 * ```
 */
export class OpsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const maxRows = props.maxWorkflowRows ?? DEFAULT_MAX_WORKFLOW_ROWS;
    if (!Number.isInteger(maxRows) || maxRows < 0) {
      throw new Error(`dashboard.maxWorkflowRows must be a non-negative integer, got ${maxRows}`);
    }
    const perWorkflow = props.perWorkflowMetrics ?? PerWorkflowMetrics.catalog;
    const workflows = props.workflows ?? [];
    const alarms = props.alarms ?? [];

    const header: cloudwatch.IWidget[] = [
      new cloudwatch.TextWidget({
        markdown: [
          '# Yardstick',
          'Metrics the aggregate function publishes as it counts (EMF: at-least-once, stamped at arrival), so these graphs are **approximate**: quote the query API and the weekly digest.',
          'Red lines are targets (the catalog’s, or the defaults); the 95 % bounds are what the trust alarms watch. Runbook: README, *Alarms*.',
        ].join('\n\n'),
        width: alarms.length > 0 ? 8 : 24,
        height: ROW_HEIGHT,
      }),
    ];
    if (alarms.length > 0) {
      header.push(
        new cloudwatch.AlarmStatusWidget({
          title: 'Alarms',
          alarms: [...alarms],
          width: 16,
          height: ROW_HEIGHT,
          sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        }),
      );
    }

    const rows: cloudwatch.IWidget[][] = [header];
    if (perWorkflow === PerWorkflowMetrics.off) {
      rows.push([
        new cloudwatch.TextWidget({
          markdown:
            '## Fleet and workflows\nPer-workflow metrics are off (`perWorkflowMetrics: off`): only pipeline health is published.',
          width: 24,
          height: 2,
        }),
      ]);
    } else {
      rows.push(...fleetRows(props.metrics));
      if (workflows.length > 0) rows.push(...this.workflowRows(props, workflows, maxRows));
    }
    rows.push(...pipelineRows(props.metrics));

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
      widgets: rows,
    });
  }

  private workflowRows(
    props: OpsDashboardProps,
    workflows: readonly DashboardWorkflow[],
    maxRows: number,
  ): cloudwatch.IWidget[][] {
    const drawn = workflows.slice(0, maxRows);
    const left = workflows.length - drawn.length;
    const note = left > 0 ? ` ${left} more catalog workflows are not drawn (\`maxWorkflowRows\`).` : '';
    return [
      [
        new cloudwatch.TextWidget({
          markdown: `## Catalog workflows\nOne row each, per hour. Shaded: the side of a target that misses it.${note}`,
          width: 24,
          height: 2,
        }),
      ],
      ...drawn.map((workflow) => workflowRow(props.metrics, workflow, props.trust)),
    ];
  }
}
