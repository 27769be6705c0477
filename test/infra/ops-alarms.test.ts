import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { Yardstick, type YardstickProps } from '../../infra/yardstick.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { wilsonInterval } from '../../shared/metrics/wilson.ts';
import {
  INGEST_METRICS_NAMESPACE,
  INGEST_METRICS_SERVICE,
  WORKFLOW_DIMENSION,
} from '../../shared/telemetry/ingest-metrics.ts';
import { effectiveTargets } from '../../shared/verdicts/targets.ts';
import { MIN_REVIEWS_FOR_TRUST } from '../../shared/verdicts/verdict.ts';
import { environmentOf, NO_BUNDLING, resourcesOf, tempOutdir } from './synth.ts';

// Alarms are configuration: asset bundling is skipped, and each variant is synthesized once.
const build = (props: YardstickProps = {}) => {
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  const stack = new Stack(app, 'Ops');
  const yardstick = new Yardstick(stack, 'Yardstick', props);
  return { stack, yardstick, template: Template.fromStack(stack) };
};

type Built = ReturnType<typeof build>;

interface AlarmMetric {
  readonly Id: string;
  readonly Expression?: string;
  readonly ReturnData?: boolean;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions: readonly { readonly Name: string; readonly Value: unknown }[];
    };
    readonly Period: number;
    readonly Stat: string;
  };
}

interface AlarmProperties {
  readonly Metrics: readonly AlarmMetric[];
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData: string;
  readonly AlarmActions: unknown[];
  readonly OKActions: unknown[];
  readonly AlarmDescription: string;
}

// An alarm construct's rendered properties (every alarm here is rendered with a Metrics array).
const propertiesOf = ({ stack, template }: Built, alarm: cloudwatch.Alarm | undefined): AlarmProperties => {
  if (!alarm) throw new Error('no such alarm');
  const logicalId = stack.getLogicalId(alarm.node.defaultChild as cloudwatch.CfnAlarm);
  return template.toJSON().Resources[logicalId].Properties as AlarmProperties;
};

const returned = (alarm: AlarmProperties) => alarm.Metrics.find((m) => m.ReturnData !== false);
const byId = (alarm: AlarmProperties, id: string) => alarm.Metrics.find((m) => m.Id === id);
const dimensionsOf = (metric: AlarmMetric | undefined) =>
  Object.fromEntries((metric?.MetricStat?.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));

// Evaluates a metric-math expression of plain arithmetic (no functions) for given values.
const evaluate = (expression: string, values: Record<string, number>): number => {
  const arithmetic = expression
    .replace(/[a-z][A-Za-z0-9_]*/g, (id) => {
      const value = values[id];
      if (value === undefined) throw new Error(`no value for ${id}`);
      return String(value);
    })
    .replaceAll('^', '**');
  if (!/^[\d\s.+\-*/()]+$/.test(arithmetic)) throw new Error(`not plain arithmetic: ${arithmetic}`);
  return new Function(`return ${arithmetic};`)() as number;
};

const catalog = loadCatalogFile('catalog.json');

/**
 * DLQ, failed deliveries, ingestion lag, counting lag, failed stream batches, rejected rate, API 5xx,
 * and errors of the aggregate, counters, api, digest and otlp functions.
 */
const PIPELINE_ALARMS = 12;

describe('pipeline alarms, default stack', () => {
  let built: Built;
  let topicRef: unknown;

  beforeAll(() => {
    // Prepare + Act: the repository catalog, a created topic, default thresholds.
    built = build({ catalogFile: 'catalog.json' });
    topicRef = {
      Ref: built.stack.getLogicalId(built.yardstick.alarmTopic.node.defaultChild as sns.CfnTopic),
    };
    // The first synth in a worker also loads aws-cdk-lib's modules: slow on a loaded machine.
  }, 120_000);

  const alarm = (name: string) => propertiesOf(built, built.yardstick.alarms.byName[name]);

  it('pages when the DLQ holds any message', () => {
    // Act
    const dlq = alarm('deadLetterQueueNotEmpty');
    // Assess
    const metric = returned(dlq)?.MetricStat;
    expect(metric?.Metric).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    expect(JSON.stringify(metric?.Metric.Dimensions)).toContain(
      built.stack.getLogicalId(built.yardstick.deadLetterQueue.node.defaultChild as CfnElement),
    );
    expect(metric).toMatchObject({ Period: 300, Stat: 'Maximum' });
    expect(dlq).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('pages when the oldest ingestion message is older than 15 minutes for 15 minutes', () => {
    // Act
    const lag = alarm('ingestionLagging');
    // Assess
    const metric = returned(lag)?.MetricStat;
    expect(metric?.Metric).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
    });
    expect(JSON.stringify(metric?.Metric.Dimensions)).toContain(
      built.stack.getLogicalId(built.yardstick.queue.node.defaultChild as CfnElement),
    );
    expect(metric).toMatchObject({ Period: 300, Stat: 'Maximum' });
    expect(lag).toMatchObject({
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('pages when counting trails recording by more than 5 minutes for 15 minutes', () => {
    // Act
    const lag = alarm('countingLagging');
    // Assess: Lambda's IteratorAge of the counters function, in milliseconds
    const metric = returned(lag)?.MetricStat;
    expect(metric?.Metric).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'IteratorAge' });
    expect(JSON.stringify(metric?.Metric.Dimensions)).toContain(
      built.stack.getLogicalId(built.yardstick.counting.counters.function.node.defaultChild as CfnElement),
    );
    expect(metric).toMatchObject({ Period: 300, Stat: 'Maximum' });
    expect(lag).toMatchObject({
      Threshold: 300_000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('pages when Lambda gives up on any batch of the table stream', () => {
    // Act
    const failed = alarm('failedStreamBatches');
    // Assess
    const metric = returned(failed)?.MetricStat;
    expect(metric?.Metric).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    expect(JSON.stringify(metric?.Metric.Dimensions)).toContain(
      built.stack.getLogicalId(built.yardstick.counting.failedBatchQueue.node.defaultChild as CfnElement),
    );
    expect(failed).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('pages on any error of each function', () => {
    for (const role of ['aggregate', 'counters', 'api', 'digest'] as const) {
      // Act
      const errors = alarm(`${role}FunctionErrors`);
      // Assess
      const metric = returned(errors)?.MetricStat;
      expect(metric?.Metric).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors' });
      expect(metric).toMatchObject({ Period: 300, Stat: 'Sum' });
      expect(errors).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    }
  });

  it('pages when more than 5% of at least 20 arriving events are quarantined, twice in a row', () => {
    // Act
    const rate = alarm('rejectedEventRate');
    // Assess: rejected / (ingested + rejected + duplicates), no value below 20 events
    expect(returned(rate)?.Expression).toBe('IF(total >= 20, rejected / total)');
    expect(byId(rate, 'total')?.Expression).toBe('ingested + rejected + duplicates');
    const names = { rejected: 'EventsRejected', ingested: 'EventsIngested', duplicates: 'DuplicatesDropped' };
    for (const [id, metricName] of Object.entries(names)) {
      const metric = byId(rate, id);
      expect(metric?.MetricStat).toMatchObject({
        Metric: { Namespace: INGEST_METRICS_NAMESPACE, MetricName: metricName },
        Period: 900,
        Stat: 'Sum',
      });
      expect(dimensionsOf(metric)).toEqual({ service: INGEST_METRICS_SERVICE });
    }
    expect(rate).toMatchObject({
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it('notifies the created topic on ALARM and on OK, from every alarm', () => {
    // Act
    const alarms = Object.values(resourcesOf(built.template, 'AWS::CloudWatch::Alarm')).map(
      (resource) => resource.Properties as unknown as AlarmProperties,
    );
    // Assess: the pipeline alarms and 2 per catalog workflow
    expect(alarms.length).toBe(PIPELINE_ALARMS + 2 * catalog.catalog.workflows.length);
    for (const properties of alarms) {
      expect(properties.AlarmActions).toEqual([topicRef]);
      expect(properties.OKActions).toEqual([topicRef]);
    }
  });
});

describe('workflow trust alarms, default stack', () => {
  let built: Built;

  beforeAll(() => {
    // Prepare + Act
    built = build({ catalogFile: 'catalog.json' });
  });

  it('alarms on each catalog workflow’s override rate above its target (catalog or default)', () => {
    for (const workflow of catalog.catalog.workflows) {
      // Prepare
      const target = effectiveTargets(workflow.targets).maxOverrideRate.value;
      // Act
      const alarm = propertiesOf(
        built,
        built.yardstick.workflowAlarms?.byWorkflow[workflow.id]?.overrideRate,
      );
      // Assess: the Wilson lower bound, only from periods with enough reviews
      expect(returned(alarm)?.Expression).toBe(`IF(reviews >= ${MIN_REVIEWS_FOR_TRUST}, bound)`);
      for (const [id, metricName] of [
        ['reviews', 'Reviews'],
        ['overrides', 'Overrides'],
      ]) {
        const metric = byId(alarm, id as string);
        expect(metric?.MetricStat).toMatchObject({
          Metric: { Namespace: INGEST_METRICS_NAMESPACE, MetricName: metricName },
          Period: 3600,
          Stat: 'Sum',
        });
        expect(dimensionsOf(metric)).toEqual({
          service: INGEST_METRICS_SERVICE,
          [WORKFLOW_DIMENSION]: workflow.id,
        });
      }
      expect(alarm).toMatchObject({
        Threshold: target,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.AlarmDescription).toContain(workflow.name);
    }
  });

  it('alarms on each catalog workflow’s acceptance below its target, counting escalations as not accepted', () => {
    for (const workflow of catalog.catalog.workflows) {
      // Prepare
      const target = effectiveTargets(workflow.targets).minAcceptanceRate.value;
      // Act
      const alarm = propertiesOf(
        built,
        built.yardstick.workflowAlarms?.byWorkflow[workflow.id]?.acceptanceRate,
      );
      // Assess
      expect(returned(alarm)?.Expression).toBe(`IF(reviews >= ${MIN_REVIEWS_FOR_TRUST}, bound)`);
      expect(byId(alarm, 'accepted')?.Expression).toBe('reviews - overrides - escalations');
      expect(
        ['reviews', 'overrides', 'escalations'].map((id) => byId(alarm, id)?.MetricStat?.Metric.MetricName),
      ).toEqual(['Reviews', 'Overrides', 'Escalations']);
      expect(dimensionsOf(byId(alarm, 'escalations'))).toEqual({
        service: INGEST_METRICS_SERVICE,
        [WORKFLOW_DIMENSION]: workflow.id,
      });
      expect(alarm).toMatchObject({
        Threshold: target,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('computes the same 95 % Wilson bounds as the API and the digest', () => {
    // Prepare
    const trust = built.yardstick.workflowAlarms?.byWorkflow['invoice-triage'];
    const override = byId(propertiesOf(built, trust?.overrideRate), 'bound')?.Expression ?? '';
    const acceptance = byId(propertiesOf(built, trust?.acceptanceRate), 'bound')?.Expression ?? '';
    for (const [successes, trials] of [
      [0, 10],
      [3, 10],
      [10, 10],
      [37, 120],
    ] as const) {
      // Act
      const low = evaluate(override, { overrides: successes, reviews: trials });
      const high = evaluate(acceptance, { accepted: successes, reviews: trials });
      // Assess
      const interval = wilsonInterval(successes, trials);
      expect(low).toBeCloseTo(interval?.low ?? Number.NaN, 4);
      expect(high).toBeCloseTo(interval?.high ?? Number.NaN, 4);
    }
  });
});

describe('alarms with a given topic, custom thresholds and every workflow published', () => {
  const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111111111111:ops-pager';
  let built: Built;

  beforeAll(() => {
    // Prepare: one workflow with default targets, one whose targets cannot be missed
    const dir = mkdtempSync(join(tmpdir(), 'yardstick-ops-catalog-'));
    const file = join(dir, 'catalog.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        workflows: [
          { id: 'triage', name: 'Triage', ownerTeam: 'Ops', stage: 'production' },
          {
            id: 'sandbox',
            name: 'Sandbox',
            ownerTeam: 'Lab',
            stage: 'pilot',
            targets: { maxOverrideRate: 1, minAcceptanceRate: 0 },
          },
        ],
      }),
    );
    const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
    const stack = new Stack(app, 'Ops');
    const alarmTopic = sns.Topic.fromTopicArn(stack, 'Pager', TOPIC_ARN);
    // Act
    const yardstick = new Yardstick(stack, 'Yardstick', {
      catalogFile: file,
      alarmTopic,
      perWorkflowMetrics: 'all',
      alarmThresholds: {
        rejectedEventRate: 0.2,
        rejectedEventRateMinEvents: 50,
        ingestionLagSeconds: 300,
        countingLagSeconds: 1800,
      },
      workflowAlarms: {
        period: Duration.minutes(30),
        minReviews: 25,
        evaluationPeriods: 4,
        datapointsToAlarm: 3,
      },
    });
    built = { stack, yardstick, template: Template.fromStack(stack) };
  });

  it('notifies the given topic and creates none', () => {
    // Act
    const alarms = Object.values(resourcesOf(built.template, 'AWS::CloudWatch::Alarm'));
    // Assess
    expect(resourcesOf(built.template, 'AWS::SNS::Topic')).toEqual({});
    for (const alarm of alarms) {
      expect(alarm.Properties?.AlarmActions).toEqual([TOPIC_ARN]);
      expect(alarm.Properties?.OKActions).toEqual([TOPIC_ARN]);
    }
  });

  it('uses the given pipeline thresholds', () => {
    // Act
    const rate = propertiesOf(built, built.yardstick.alarms.byName.rejectedEventRate);
    const lag = propertiesOf(built, built.yardstick.alarms.byName.ingestionLagging);
    const countingLag = propertiesOf(built, built.yardstick.alarms.byName.countingLagging);
    // Assess
    expect(rate.Threshold).toBe(0.2);
    expect(returned(rate)?.Expression).toBe('IF(total >= 50, rejected / total)');
    expect(lag.Threshold).toBe(300);
    expect(countingLag.Threshold).toBe(1_800_000);
    expect(countingLag.AlarmDescription).toContain('older than 1800 s');
    expect(rate.AlarmDescription).toContain('More than 20% of arriving Yardstick events');
  });

  it('judges workflows over the given periods and sample, with default targets where the catalog sets none', () => {
    // Act
    const trust = built.yardstick.workflowAlarms?.byWorkflow.triage;
    const override = propertiesOf(built, trust?.overrideRate);
    const acceptance = propertiesOf(built, trust?.acceptanceRate);
    // Assess
    for (const alarm of [override, acceptance]) {
      expect(returned(alarm)?.Expression).toBe('IF(reviews >= 25, bound)');
      expect(byId(alarm, 'reviews')?.MetricStat?.Period).toBe(1800);
      expect(alarm).toMatchObject({ EvaluationPeriods: 4, DatapointsToAlarm: 3 });
    }
    expect(override.Threshold).toBe(0.25);
    expect(acceptance.Threshold).toBe(0.7);
    expect(override.AlarmDescription).toContain('more than its target ≤ 25% (default)');
    expect(acceptance.AlarmDescription).toContain('less than its target ≥ 70% (default)');
  });

  it('leaves out alarms on targets that cannot be missed', () => {
    // Assess
    expect(built.yardstick.workflowAlarms?.byWorkflow.sandbox).toEqual({});
    expect(built.yardstick.workflowAlarms?.alarms.length).toBe(2);
  });

  it('tells the aggregate function to publish every workflow', () => {
    // Act
    const aggregate = Object.values(resourcesOf(built.template, 'AWS::Lambda::Function')).find(
      (fn) => environmentOf(fn).LATENESS_DAYS !== undefined,
    );
    // Assess
    expect(environmentOf(aggregate).PER_WORKFLOW_METRICS).toBe('all');
  });
});

describe('alarms without per-workflow metrics', () => {
  it('has no workflow alarms when per-workflow metrics are off, and says so to the function', () => {
    // Act
    const { yardstick, template } = build({ catalogFile: 'catalog.json', perWorkflowMetrics: 'off' });
    // Assess
    expect(yardstick.workflowAlarms).toBeUndefined();
    expect(Object.keys(resourcesOf(template, 'AWS::CloudWatch::Alarm')).length).toBe(PIPELINE_ALARMS);
    const aggregate = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
      (fn) => environmentOf(fn).LATENESS_DAYS !== undefined,
    );
    expect(environmentOf(aggregate).PER_WORKFLOW_METRICS).toBe('off');
  });

  it('can switch workflow alarms off while keeping the catalog', () => {
    // Act
    const { yardstick } = build({ catalogFile: 'catalog.json', workflowAlarms: { enabled: false } });
    // Assess
    expect(yardstick.workflowAlarms).toBeUndefined();
  });
});

describe('alarm options that cannot work', () => {
  it.each([
    ['an unknown per-workflow mode', { perWorkflowMetrics: 'some' as never }, /one of all, catalog, off/],
    [
      'a counting lag the stream outlives',
      { alarmThresholds: { countingLagSeconds: 86_400 } },
      /countingLagSeconds.*24 hours/,
    ],
    ['a rejected rate of 1 or more', { alarmThresholds: { rejectedEventRate: 1.5 } }, /between 0 and 1/],
    [
      'a fractional event minimum',
      { alarmThresholds: { rejectedEventRateMinEvents: 2.5 } },
      /positive integer/,
    ],
    [
      'more breaching periods than evaluated',
      { workflowAlarms: { datapointsToAlarm: 4 } },
      /datapointsToAlarm/,
    ],
    ['a look-back beyond a day', { workflowAlarms: { evaluationPeriods: 25 } }, /at most one day/],
    ['no minimum of reviews', { workflowAlarms: { minReviews: 0 } }, /minReviews/],
  ] satisfies [string, YardstickProps, RegExp][])('rejects %s at synth', (_case, props, message) => {
    // Act
    const act = () => build({ catalogFile: 'catalog.json', ...props });
    // Assess
    expect(act).toThrow(message);
  });
});
