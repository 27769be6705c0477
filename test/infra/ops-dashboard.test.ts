import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FleetWidgetTitle } from '../../infra/constructs/dashboard-fleet.ts';
import { PipelineWidgetTitle } from '../../infra/constructs/dashboard-pipeline.ts';
import { workflowWidgetTitles } from '../../infra/constructs/dashboard-workflows.ts';
import { Yardstick, type YardstickProps } from '../../infra/yardstick.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import {
  INGEST_METRICS_SERVICE,
  WORKFLOW_DIMENSION,
  WorkflowMetric,
} from '../../shared/telemetry/ingest-metrics.ts';
import { effectiveTargets } from '../../shared/verdicts/targets.ts';
import { NO_BUNDLING, onlyResource, resourcesOf, tempOutdir } from './synth.ts';

interface Annotation {
  readonly value: number;
  readonly label?: string;
  readonly fill?: string;
}

interface Widget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly alarms?: readonly string[];
    readonly metrics?: readonly unknown[][];
    readonly annotations?: { readonly horizontal?: readonly Annotation[] };
  };
}

// A CloudFormation reference inside the body, as a string the JSON can hold.
const placeholder = (token: unknown): string => {
  const ref = token as { Ref?: string; 'Fn::GetAtt'?: string[] };
  if (ref.Ref) return `{Ref:${ref.Ref}}`;
  if (ref['Fn::GetAtt']) return `{GetAtt:${ref['Fn::GetAtt'].join('.')}}`;
  return '{token}';
};

// DashboardBody is an Fn::Join of JSON text and references: join it and parse the widgets.
const dashboardWidgets = (template: Template): Widget[] => {
  const body = onlyResource(template, 'AWS::CloudWatch::Dashboard').properties.DashboardBody as {
    'Fn::Join': [string, unknown[]];
  };
  const [separator, parts] = body['Fn::Join'];
  const text = parts.map((part) => (typeof part === 'string' ? part : placeholder(part))).join(separator);
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
};

const build = (props: YardstickProps = {}) => {
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  const stack = new Stack(app, 'Ops');
  const yardstick = new Yardstick(stack, 'Yardstick', props);
  const template = Template.fromStack(stack);
  return { stack, yardstick, template };
};

const titled = (widgets: Widget[], title: string): Widget => {
  const widget = widgets.find((w) => w.properties.title === title);
  if (!widget) throw new Error(`no widget titled "${title}"`);
  return widget;
};

// Every expression of a graph, and every metric name it graphs directly.
const expressionsOf = (widget: Widget): string[] =>
  (widget.properties.metrics ?? []).flatMap((line) =>
    line.flatMap((item) =>
      typeof item === 'object' && item && 'expression' in item ? [String(item.expression)] : [],
    ),
  );
const metricNamesOf = (widget: Widget): string[] =>
  (widget.properties.metrics ?? []).flatMap((line) =>
    typeof line[0] === 'string' && typeof line[1] === 'string' ? [line[1]] : [],
  );

const catalog = loadCatalogFile('catalog.json');

describe('ops dashboard with the repository catalog', () => {
  let widgets: Widget[];
  let built: ReturnType<typeof build>;

  beforeAll(() => {
    // Prepare + Act
    built = build({ catalogFile: 'catalog.json' });
    widgets = dashboardWidgets(built.template);
    // The first synth in a worker also loads aws-cdk-lib's modules: slow on a loaded machine.
  }, 120_000);

  it('is one dashboard whose widgets tile a 24-column grid without overlapping', () => {
    // Assess
    const cells = new Set<string>();
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`), `${widget.properties.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('opens with the status of every alarm', () => {
    // Act
    const status = widgets.find((w) => w.type === 'alarm');
    // Assess
    const alarmCount =
      Object.keys(built.yardstick.alarms.byName).length +
      (built.yardstick.workflowAlarms?.alarms.length ?? 0);
    expect(status?.y).toBe(0);
    expect(status?.properties.alarms?.length).toBe(alarmCount);
    expect(Object.keys(resourcesOf(built.template, 'AWS::CloudWatch::Alarm')).length).toBe(alarmCount);
  });

  it('overviews every workflow by SEARCH on the WorkflowId dimension', () => {
    // Prepare
    const search = (metric: keyof typeof WorkflowMetric) =>
      `SEARCH('{Yardstick,service,${WORKFLOW_DIMENSION}} MetricName="${WorkflowMetric[metric].name}" service="${INGEST_METRICS_SERVICE}"', 'Sum', 3600)`;
    // Act + Assess: value against cost, fleet-wide and by workflow
    expect(expressionsOf(titled(widgets, FleetWidgetTitle.valueAndCost))).toEqual([
      `SUM(${search('reportedValueUsd')})`,
      `SUM(${search('costUsd')})`,
    ]);
    expect(expressionsOf(titled(widgets, FleetWidgetTitle.costByWorkflow))).toEqual([search('costUsd')]);
    expect(expressionsOf(titled(widgets, FleetWidgetTitle.valueByWorkflow))).toEqual([
      search('reportedValueUsd'),
    ]);
    expect(expressionsOf(titled(widgets, FleetWidgetTitle.runsByWorkflow))).toEqual([search('runs')]);
    // Assess: the fleet's override rate by metric math over two searches
    expect(expressionsOf(titled(widgets, FleetWidgetTitle.overrideRate))).toEqual([
      'fleetOverrides / fleetReviews',
      `SUM(${search('overrides')})`,
      `SUM(${search('reviews')})`,
    ]);
  });

  it('draws one row per catalog workflow, in catalog order, below the fleet', () => {
    // Act
    const rows = catalog.catalog.workflows.map((workflow) => {
      const titles = Object.values(workflowWidgetTitles(workflow));
      return titles.map((title) => titled(widgets, title));
    });
    // Assess
    const fleetBottom = Math.max(
      ...widgets.filter((w) => w.properties.title?.startsWith('Fleet:')).map((w) => w.y),
    );
    let previousY = fleetBottom;
    for (const row of rows) {
      const ys = new Set(row.map((w) => w.y));
      expect(ys.size).toBe(1);
      const [y] = [...ys] as [number];
      expect(y).toBeGreaterThan(previousY);
      expect(row.reduce((width, w) => width + w.width, 0)).toBe(24);
      previousY = y;
    }
  });

  it('draws each workflow’s targets as horizontal annotations, shaded on the side that misses them', () => {
    for (const workflow of catalog.catalog.workflows) {
      // Prepare
      const targets = effectiveTargets(workflow.targets);
      const titles = workflowWidgetTitles(workflow);
      // Act
      const override = titled(widgets, titles.overrideRate).properties.annotations?.horizontal;
      const acceptance = titled(widgets, titles.acceptanceRate).properties.annotations?.horizontal;
      // Assess
      expect(override).toEqual([
        expect.objectContaining({ value: targets.maxOverrideRate.value, fill: 'above' }),
      ]);
      expect(acceptance).toEqual([
        expect.objectContaining({ value: targets.minAcceptanceRate.value, fill: 'below' }),
      ]);
      if (targets.maxOverrideRate.source === 'default') expect(override?.[0]?.label).toContain('(default)');
    }
  });

  it('graphs, beside each target, the rate and the bound its trust alarm watches', () => {
    // Prepare
    const trust = built.template.toJSON().Resources;
    const alarmExpressions = (workflowId: string, kind: 'overrideRate' | 'acceptanceRate') => {
      const alarm = built.yardstick.workflowAlarms?.byWorkflow[workflowId]?.[kind];
      const logicalId = built.stack.getLogicalId(alarm?.node.defaultChild as CfnElement);
      return (trust[logicalId].Properties.Metrics as { Expression?: string }[]).flatMap((m) =>
        m.Expression ? [m.Expression] : [],
      );
    };
    for (const workflow of catalog.catalog.workflows) {
      const titles = workflowWidgetTitles(workflow);
      // Act
      const override = expressionsOf(titled(widgets, titles.overrideRate));
      const acceptance = expressionsOf(titled(widgets, titles.acceptanceRate));
      // Assess
      expect(override).toContain('overrides / reviews');
      expect(acceptance).toContain('accepted / reviews');
      for (const expression of alarmExpressions(workflow.id, 'overrideRate'))
        expect(override).toContain(expression);
      for (const expression of alarmExpressions(workflow.id, 'acceptanceRate')) {
        expect(acceptance).toContain(expression);
      }
    }
  });

  it('shows counting from the table stream: the iterator age the lag alarm watches, and failed batches', () => {
    // Act
    const lag = titled(widgets, PipelineWidgetTitle.countingLag);
    const failed = titled(widgets, PipelineWidgetTitle.failedBatches);
    // Assess
    expect(metricNamesOf(lag)).toEqual(['IteratorAge']);
    expect(JSON.stringify(lag.properties.metrics)).toContain(
      built.stack.getLogicalId(built.yardstick.counting.counters.function.node.defaultChild as CfnElement),
    );
    expect(metricNamesOf(failed)).toEqual(['ApproximateNumberOfMessagesVisible']);
    expect(JSON.stringify(failed.properties.metrics)).toContain(
      built.stack.getLogicalId(built.yardstick.counting.failedBatchQueue.node.defaultChild as CfnElement),
    );
  });

  it('shows pipeline health: queue, DLQ, functions, DynamoDB and events', () => {
    // Act + Assess
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.queue)).sort()).toEqual([
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.deadLetterQueue))).toEqual([
      'ApproximateNumberOfMessagesVisible',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.functionErrors))).toEqual([
      'Errors',
      'Errors',
      'Errors',
      'Errors',
      'Errors',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.functionThrottles))).toEqual([
      'Throttles',
      'Throttles',
      'Throttles',
      'Throttles',
      'Throttles',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.functionDuration))).toEqual([
      'Duration',
      'Duration',
      'Duration',
      'Duration',
      'Duration',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.tableThrottles))).toEqual([
      'ReadThrottleEvents',
      'WriteThrottleEvents',
      'TransactionConflict',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.tableCapacity)).sort()).toEqual([
      'ConsumedReadCapacityUnits',
      'ConsumedWriteCapacityUnits',
    ]);
    expect(metricNamesOf(titled(widgets, PipelineWidgetTitle.events))).toEqual([
      'EventsIngested',
      'DuplicatesDropped',
      'EventsRejected',
      'Conflicts',
      'EventsFailed',
    ]);
  });
});

describe('ops dashboard options', () => {
  it('draws at most maxWorkflowRows workflow rows and says how many it left out', () => {
    // Act
    const widgets = dashboardWidgets(
      build({ catalogFile: 'catalog.json', dashboard: { maxWorkflowRows: 1 } }).template,
    );
    // Assess
    const [first, ...rest] = catalog.catalog.workflows;
    if (!first) throw new Error('the repository catalog has no workflows');
    expect(widgets.some((w) => w.properties.title === workflowWidgetTitles(first).overrideRate)).toBe(true);
    for (const workflow of rest) {
      expect(widgets.some((w) => w.properties.title === workflowWidgetTitles(workflow).overrideRate)).toBe(
        false,
      );
    }
    expect(
      widgets.some((w) => w.properties.markdown?.includes(`${rest.length} more catalog workflows`)),
    ).toBe(true);
  });

  it('replaces the fleet and workflow sections with a note when per-workflow metrics are off', () => {
    // Act
    const widgets = dashboardWidgets(
      build({ catalogFile: 'catalog.json', perWorkflowMetrics: 'off' }).template,
    );
    // Assess
    expect(JSON.stringify(widgets)).not.toContain('SEARCH(');
    expect(JSON.stringify(widgets)).not.toContain(WORKFLOW_DIMENSION);
    expect(widgets.some((w) => w.properties.markdown?.includes('Per-workflow metrics are off'))).toBe(true);
    expect(widgets.some((w) => w.properties.title === PipelineWidgetTitle.queue)).toBe(true);
  });

  it('keeps the fleet overview without a catalog', () => {
    // Prepare: a working directory without catalog.json
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), 'yardstick-no-catalog-')));
    // Act
    let widgets: Widget[];
    try {
      widgets = dashboardWidgets(build().template);
    } finally {
      process.chdir(cwd);
    }
    // Assess
    expect(widgets.some((w) => w.properties.title === FleetWidgetTitle.costByWorkflow)).toBe(true);
    expect(widgets.some((w) => w.properties.title?.endsWith(': override rate'))).toBe(false);
  });

  it('takes a name, and can be switched off', () => {
    // Act
    const named = build({ dashboard: { dashboardName: 'yardstick-ops' } }).template;
    const none = build({ dashboard: { enabled: false } });
    // Assess
    expect(onlyResource(named, 'AWS::CloudWatch::Dashboard').properties.DashboardName).toBe('yardstick-ops');
    expect(resourcesOf(none.template, 'AWS::CloudWatch::Dashboard')).toEqual({});
    expect(none.yardstick.dashboard).toBeUndefined();
  });
});
