import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { formatTargetRate } from '../../shared/format/rates.ts';
import type { YardstickOpsMetrics } from './ops-metrics.ts';

/** The default {@link AlarmThresholds}. */
export const DEFAULT_ALARM_THRESHOLDS = {
  ingestionLagSeconds: 900,
  countingLagSeconds: 300,
  apiServerErrors: 5,
  rejectedEventRate: 0.05,
  rejectedEventRateMinEvents: 20,
} as const;

/** Period of the rejected-event rate: long enough to hold a few batches of a quiet producer. */
export const REJECTED_EVENT_RATE_PERIOD = Duration.minutes(15);

/** Alarm thresholds; the defaults page on the first sign of lost or stuck data. */
export interface AlarmThresholds {
  /** Oldest ingestion message, in seconds, before aggregation counts as lagging. @default 900 */
  readonly ingestionLagSeconds?: number;
  /**
   * Counting lag, in seconds: how long ago the events the counters function is reading now were
   * recorded (the stream mapping's iterator age), three 5-minute periods in a row. The stream keeps
   * records 24 hours; the default leaves a day to fix a failing batch.
   * @default 300
   */
  readonly countingLagSeconds?: number;
  /** API 5xx answers in five minutes. @default 5 */
  readonly apiServerErrors?: number;
  /**
   * Share of arriving events rejected as invalid (0–1) in 15 minutes, two periods in a row, before a
   * producer counts as broken.
   * @default 0.05
   */
  readonly rejectedEventRate?: number;
  /**
   * Fewest events arriving in 15 minutes for the rejected share to count; quieter periods never breach.
   * @default 20
   */
  readonly rejectedEventRateMinEvents?: number;
}

export interface AlarmsProps {
  readonly metrics: YardstickOpsMetrics;
  /** Receives ALARM and OK notifications. */
  readonly topic: sns.ITopic;
  readonly thresholds?: AlarmThresholds;
}

/**
 * Pipeline alarms: DLQ not empty, function errors, events EventBridge failed to deliver, ingestion lag
 * (age of the oldest message), counting lag (the stream's iterator age), failed stream batches,
 * rejected-event rate and API 5xx. Each notifies the topic on ALARM and
 * on OK. Metrics come from {@link YardstickOpsMetrics}; per-workflow alarms are `WorkflowAlarms`.
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
    const thresholds = { ...DEFAULT_ALARM_THRESHOLDS, ...definedOnly(props.thresholds) };
    validateThresholds(thresholds);
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
      threshold: thresholds.ingestionLagSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });

    if (metrics.functionRoles.includes('counters')) {
      add('countingLagging', {
        alarmDescription: `Counting is falling behind recording: the counters function reads stream records older than ${thresholds.countingLagSeconds} s (a failing batch retried, throttling, or DynamoDB throttles on counter items). Records leave the stream after 24 hours: fix it before then. Runbook: docs/ops.md.`,
        metric: metrics.countingLagMs(),
        threshold: thresholds.countingLagSeconds * 1000,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
    }

    if (metrics.sources.failedBatchQueue) {
      add('failedStreamBatches', {
        alarmDescription:
          'Lambda gave up on a batch of the table stream (its records expired before the counters function succeeded): recorded events are missing from the counters. Runbook: docs/ops.md.',
        metric: metrics.failedBatches(),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    add('rejectedEventRate', {
      alarmDescription: `More than ${formatTargetRate(thresholds.rejectedEventRate)} of arriving Yardstick events are invalid and quarantined: a producer sends events that break the contract. Read the reasons in the quarantine (GET /quarantine) and fix the producer.`,
      metric: metrics.rejectedEventRate({
        period: REJECTED_EVENT_RATE_PERIOD,
        minSamples: thresholds.rejectedEventRateMinEvents,
      }),
      threshold: thresholds.rejectedEventRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
    });

    const apiErrors = metrics.apiServerErrors(Duration.minutes(5));
    if (apiErrors) {
      add('apiServerErrors', {
        alarmDescription: 'The Yardstick query API answers with 5xx errors.',
        metric: apiErrors,
        threshold: thresholds.apiServerErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
  }
}

// `{ x: undefined }` from a caller must not override a default.
const definedOnly = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

const validateThresholds = (t: Required<AlarmThresholds>): void => {
  // The stream keeps records 24 hours: an alarm later than that reports counts already lost.
  if (!(t.countingLagSeconds > 0 && t.countingLagSeconds < 86_400)) {
    throw new Error(
      `alarmThresholds.countingLagSeconds must be above 0 and below 86400 (the stream keeps records 24 hours), got ${t.countingLagSeconds}`,
    );
  }
  if (!(t.rejectedEventRate > 0 && t.rejectedEventRate < 1)) {
    throw new Error(`alarmThresholds.rejectedEventRate must be between 0 and 1, got ${t.rejectedEventRate}`);
  }
  if (!Number.isInteger(t.rejectedEventRateMinEvents) || t.rejectedEventRateMinEvents < 1) {
    throw new Error(
      `alarmThresholds.rejectedEventRateMinEvents must be a positive integer, got ${t.rejectedEventRateMinEvents}`,
    );
  }
};
