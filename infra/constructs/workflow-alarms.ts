import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { CatalogWorkflow } from '../../shared/catalog/schema.ts';
import { formatTarget } from '../../shared/format/rates.ts';
import { effectiveTargets } from '../../shared/verdicts/targets.ts';
import { MIN_REVIEWS_FOR_TRUST } from '../../shared/verdicts/verdict.ts';
import { YardstickOpsMetrics } from './ops-metrics.ts';

/** How the per-workflow trust alarms judge a workflow against its catalog targets. */
export interface WorkflowAlarmOptions {
  /**
   * Length of one data point. Reviews are sparse: shorter periods rarely hold enough of them.
   * @default Duration.hours(1)
   */
  readonly period?: Duration;
  /**
   * Fewest reviews in a period for it to count; thinner periods yield no data point (not breaching).
   * @default MIN_REVIEWS_FOR_TRUST (10), the digest's minimum for its trust rules
   */
  readonly minReviews?: number;
  /** @default 3 */
  readonly evaluationPeriods?: number;
  /** Breaching periods among `evaluationPeriods` before the alarm fires. @default 2 */
  readonly datapointsToAlarm?: number;
}

/** The defaults of {@link WorkflowAlarmOptions}. */
export const DEFAULT_WORKFLOW_ALARM_OPTIONS = {
  period: YardstickOpsMetrics.TRUST_PERIOD,
  minReviews: MIN_REVIEWS_FOR_TRUST,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
} as const;

export interface WorkflowAlarmsProps extends WorkflowAlarmOptions {
  readonly metrics: YardstickOpsMetrics;
  /** The catalog workflows to watch, with their targets (missing targets fall back to the defaults). */
  readonly workflows: readonly Pick<CatalogWorkflow, 'id' | 'name' | 'targets'>[];
  /** Receives ALARM and OK notifications. */
  readonly topic: sns.ITopic;
}

/** The trust alarms of one workflow; a target that cannot be missed (override 1, acceptance 0) has none. */
export interface WorkflowTrustAlarms {
  readonly overrideRate?: cloudwatch.Alarm;
  readonly acceptanceRate?: cloudwatch.Alarm;
}

/**
 * Per catalog workflow, two trust alarms against its targets, judged like the weekly digest does:
 *
 * - **override rate above target**: the 95 % Wilson lower bound of `Overrides / Reviews` is above
 *   `targets.maxOverrideRate` (default 0.25);
 * - **acceptance below target**: the 95 % Wilson upper bound of `accepted / Reviews` is below
 *   `targets.minAcceptanceRate` (default 0.70).
 *
 * Each is one metric-math alarm: a period with fewer than `minReviews` reviews yields no data point, so
 * a handful of reviews can never fire it, and it fires only when 2 of the last 3 hourly periods breach.
 * No composite is needed for the sample gate, which saves an alarm per workflow.
 *
 * @example
 * ```ts
 * const trust = new WorkflowAlarms(this, 'WorkflowAlarms', {
 *   metrics, topic, workflows: loaded.catalog.workflows,
 * });
 * trust.byWorkflow['invoice-triage']?.overrideRate;
 * ```
 */
export class WorkflowAlarms extends Construct {
  /** The alarms, by workflow id. */
  readonly byWorkflow: Record<string, WorkflowTrustAlarms> = {};

  constructor(scope: Construct, id: string, props: WorkflowAlarmsProps) {
    super(scope, id);
    const options = resolveWorkflowAlarmOptions(props);
    const notify = new actions.SnsAction(props.topic);
    const sampled = { period: options.period, minSamples: options.minReviews };
    const window = `${options.datapointsToAlarm} of the last ${options.evaluationPeriods} periods of ${describe(options.period)}, each with at least ${options.minReviews} reviews`;

    for (const workflow of props.workflows) {
      const scopeOf = new Construct(this, workflow.id);
      const targets = effectiveTargets(workflow.targets);
      const add = (alarmId: string, alarmProps: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'>) => {
        const alarm = new cloudwatch.Alarm(scopeOf, alarmId, {
          // A thin or quiet period yields no data point: no evidence either way, so not breaching.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          evaluationPeriods: options.evaluationPeriods,
          datapointsToAlarm: options.datapointsToAlarm,
          ...alarmProps,
        });
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
        return alarm;
      };

      const maxOverride = targets.maxOverrideRate;
      const overrideRate =
        maxOverride.value < 1
          ? add('OverrideRateAboveTarget', {
              alarmDescription: `${workflow.name} (${workflow.id}): people override its output more than its ${formatTarget('≤', maxOverride)}: the 95% lower bound of Overrides / Reviews is above it in ${window}. Read its overrides and their reasons (GET /workflows/${workflow.id}/overrides) and tell the owning team (the weekly digest judges the whole week).`,
              metric: props.metrics.overrideRateLow95(workflow.id, sampled),
              threshold: maxOverride.value,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            })
          : undefined;

      const minAcceptance = targets.minAcceptanceRate;
      const acceptanceRate =
        minAcceptance.value > 0
          ? add('AcceptanceBelowTarget', {
              alarmDescription: `${workflow.name} (${workflow.id}): people accept its output as is less than its ${formatTarget('≥', minAcceptance)}: the 95% upper bound of accepted / Reviews is below it in ${window}. Check what changed (model, prompt, inputs) with the owning team.`,
              metric: props.metrics.acceptanceRateHigh95(workflow.id, sampled),
              threshold: minAcceptance.value,
              comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            })
          : undefined;

      this.byWorkflow[workflow.id] = {
        ...(overrideRate ? { overrideRate } : {}),
        ...(acceptanceRate ? { acceptanceRate } : {}),
      };
    }
  }

  /** Every alarm, for dashboards. */
  get alarms(): cloudwatch.Alarm[] {
    return Object.values(this.byWorkflow).flatMap((trust) =>
      [trust.overrideRate, trust.acceptanceRate].filter((alarm) => alarm !== undefined),
    );
  }
}

/**
 * The options in force: the given ones over {@link DEFAULT_WORKFLOW_ALARM_OPTIONS}, validated.
 *
 * @example
 * ```ts
 * resolveWorkflowAlarmOptions({ minReviews: 20 }).evaluationPeriods; // 3
 * ```
 */
export const resolveWorkflowAlarmOptions = (
  options: WorkflowAlarmOptions = {},
): Required<WorkflowAlarmOptions> => {
  const resolved = { ...DEFAULT_WORKFLOW_ALARM_OPTIONS, ...definedOnly(options) };
  validate(resolved);
  return resolved;
};

const describe = (period: Duration): string =>
  period.toSeconds() % 3600 === 0 ? `${period.toHours()} h` : `${period.toMinutes()} min`;

const definedOnly = (props: WorkflowAlarmOptions): Partial<WorkflowAlarmOptions> => ({
  ...(props.period !== undefined ? { period: props.period } : {}),
  ...(props.minReviews !== undefined ? { minReviews: props.minReviews } : {}),
  ...(props.evaluationPeriods !== undefined ? { evaluationPeriods: props.evaluationPeriods } : {}),
  ...(props.datapointsToAlarm !== undefined ? { datapointsToAlarm: props.datapointsToAlarm } : {}),
});

const validate = (options: Required<WorkflowAlarmOptions>): void => {
  const { period, minReviews, evaluationPeriods, datapointsToAlarm } = options;
  if (!Number.isInteger(minReviews) || minReviews < 1) {
    throw new Error(`workflow alarms: minReviews must be a positive integer, got ${minReviews}`);
  }
  if (
    !Number.isInteger(datapointsToAlarm) ||
    datapointsToAlarm < 1 ||
    datapointsToAlarm > evaluationPeriods
  ) {
    throw new Error(
      `workflow alarms: datapointsToAlarm must be from 1 to evaluationPeriods (${evaluationPeriods}), got ${datapointsToAlarm}`,
    );
  }
  // PutMetricAlarm: periods of a minute or more are whole minutes, and EvaluationPeriods × Period
  // may not exceed one day.
  const seconds = period.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0 || seconds * evaluationPeriods > Duration.days(1).toSeconds()) {
    throw new Error(
      `workflow alarms: period must be whole minutes and period × evaluationPeriods at most one day, got ${seconds} s × ${evaluationPeriods}`,
    );
  }
};
