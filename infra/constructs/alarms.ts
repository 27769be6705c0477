import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { YardstickOpsMetrics } from './ops-metrics.ts';

/** Alarm thresholds; the defaults page on the first sign of lost or stuck data. */
export interface AlarmThresholds {
  /** Oldest ingestion message, in seconds, before aggregation counts as lagging. @default 900 */
  readonly ingestionLagSeconds?: number;
  /** API 5xx answers in five minutes. @default 5 */
  readonly apiServerErrors?: number;
}

export interface AlarmsProps {
  readonly metrics: YardstickOpsMetrics;
  /** Receives ALARM and OK notifications. */
  readonly topic: sns.ITopic;
  readonly thresholds?: AlarmThresholds;
}

/**
 * Ops alarms: DLQ not empty, function errors, events EventBridge failed to deliver, ingestion lag and
 * API 5xx. Each notifies the topic on ALARM and on OK. Metrics come from {@link YardstickOpsMetrics}.
 *
 * @example
 * ```ts
 * const alarms = new Alarms(this, 'Alarms', { metrics, topic });
 * alarms.byName.deadLetterQueueNotEmpty;
 * ```
 */
export class Alarms extends Construct {
  /** Every alarm, by a stable name (for dashboards and composite alarms). */
  readonly byName: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { metrics } = props;
    const notify = new actions.SnsAction(props.topic);
    const add = (name: string, alarmProps: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, name.charAt(0).toUpperCase() + name.slice(1), {
        // Quiet hours produce no data points; silence is not an outage.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.byName[name] = alarm;
    };

    add('deadLetterQueueNotEmpty', {
      alarmDescription:
        'Yardstick events reached the DLQ and were not counted. Inspect, fix, then redrive them to the ingestion queue.',
      metric: metrics.deadLetterQueueDepth(),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    for (const role of metrics.functionRoles) {
      add(`${role}FunctionErrors`, {
        alarmDescription: `The Yardstick ${role} function failed. Its log group has the error and the request id.`,
        metric: metrics.functionErrors(role),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    if (metrics.sources.ingestion) {
      add('failedDeliveries', {
        alarmDescription:
          'EventBridge could not deliver matched events to the ingestion queue (they went to the DLQ).',
        metric: metrics.failedDeliveries(),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    add('ingestionLagging', {
      alarmDescription:
        'Aggregation is falling behind: the oldest ingestion message has waited too long (throttling or a failing batch).',
      metric: metrics.ingestionLagSeconds(),
      threshold: props.thresholds?.ingestionLagSeconds ?? 900,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });

    const apiErrors = metrics.apiServerErrors(Duration.minutes(5));
    if (apiErrors) {
      add('apiServerErrors', {
        alarmDescription: 'The Yardstick query API answers with 5xx errors.',
        metric: apiErrors,
        threshold: props.thresholds?.apiServerErrors ?? 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
  }
}
