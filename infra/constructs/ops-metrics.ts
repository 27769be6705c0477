import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** The CloudWatch namespace of the custom (EMF) metrics the functions publish. */
export const YARDSTICK_METRICS_NAMESPACE = 'Yardstick';

/** The functions of the stack, by role. */
export const FunctionRole = {
  aggregate: 'aggregate',
  api: 'api',
  digest: 'digest',
} as const;

export type FunctionRoleName = (typeof FunctionRole)[keyof typeof FunctionRole];

/** What the metric factory reads from; every member is optional so a partial stack still gets metrics. */
export interface OpsMetricSources {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly functions: Readonly<Partial<Record<FunctionRoleName, lambda.IFunction>>>;
  readonly httpApi?: apigwv2.IHttpApi;
  /** The ingestion rules and the bus they sit on (rule metrics on a custom bus carry both names). */
  readonly ingestion?: { readonly eventBus: events.IEventBus; readonly rules: readonly events.IRule[] };
}

/**
 * Metric factory for ops: every metric the alarms and (later) the dashboards use, defined once so a
 * dashboard graphs exactly what an alarm watches. Keep it free of alarms and widgets.
 *
 * @example
 * ```ts
 * const metrics = new YardstickOpsMetrics({ queue, deadLetterQueue, functions: { aggregate } });
 * new cloudwatch.Alarm(this, 'Dlq', { metric: metrics.deadLetterQueueDepth(), threshold: 1, evaluationPeriods: 1 });
 * ```
 */
export class YardstickOpsMetrics {
  /** The period alarms and graphs use unless a caller asks otherwise. */
  static readonly DEFAULT_PERIOD = Duration.minutes(5);

  constructor(readonly sources: OpsMetricSources) {}

  /** Messages waiting in the DLQ: anything above zero is an event that was never counted. */
  deadLetterQueueDepth(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.sources.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period,
      label: 'DLQ messages',
    });
  }

  /** Age of the oldest ingestion message: how far aggregation lags behind producers. */
  ingestionLagSeconds(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.sources.queue.metricApproximateAgeOfOldestMessage({
      statistic: cloudwatch.Stats.MAXIMUM,
      period,
      label: 'Oldest ingestion message (s)',
    });
  }

  /** Messages waiting to be aggregated. */
  ingestionBacklog(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.sources.queue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period,
      label: 'Ingestion backlog',
    });
  }

  /** Events the ingestion rules matched (EventBridge `MatchedEvents`), summed over all rules. */
  matchedEvents(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.sumOverRules('MatchedEvents', period, 'Matched events');
  }

  /** Deliveries EventBridge gave up on (`FailedInvocations`): they went to the DLQ or were lost. */
  failedDeliveries(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.sumOverRules('FailedInvocations', period, 'Failed deliveries');
  }

  /** Invocation errors of one function. */
  functionErrors(role: FunctionRoleName, period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.fn(role).metricErrors({ statistic: cloudwatch.Stats.SUM, period, label: `${role} errors` });
  }

  /** Throttled invocations of one function. */
  functionThrottles(role: FunctionRoleName, period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.fn(role).metricThrottles({
      statistic: cloudwatch.Stats.SUM,
      period,
      label: `${role} throttles`,
    });
  }

  /** p99 duration of one function, to compare with its timeout. */
  functionDurationP99(
    role: FunctionRoleName,
    period = YardstickOpsMetrics.DEFAULT_PERIOD,
  ): cloudwatch.IMetric {
    return this.fn(role).metricDuration({ statistic: cloudwatch.Stats.p(99), period, label: `${role} p99` });
  }

  /** HTTP API 5xx answers. */
  apiServerErrors(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric | undefined {
    return this.sources.httpApi?.metricServerError({
      statistic: cloudwatch.Stats.SUM,
      period,
      label: 'API 5xx',
    });
  }

  /** HTTP API requests. */
  apiRequests(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric | undefined {
    return this.sources.httpApi?.metricCount({
      statistic: cloudwatch.Stats.SUM,
      period,
      label: 'API requests',
    });
  }

  /** The functions that exist in this stack, for callers that alarm or graph each of them. */
  get functionRoles(): FunctionRoleName[] {
    return (Object.keys(this.sources.functions) as FunctionRoleName[]).filter(
      (role) => this.sources.functions[role] !== undefined,
    );
  }

  private fn(role: FunctionRoleName): lambda.IFunction {
    const fn = this.sources.functions[role];
    if (!fn) throw new Error(`no ${role} function in this stack`);
    return fn;
  }

  // A math expression keeps one line per graph and one alarm however many rules there are.
  private sumOverRules(metricName: string, period: Duration, label: string): cloudwatch.IMetric {
    const { eventBus, rules = [] } = this.sources.ingestion ?? {};
    if (!eventBus || rules.length === 0) throw new Error('no ingestion rules in this stack');
    const usingMetrics = Object.fromEntries(
      rules.map((rule, index) => [
        `r${index}`,
        new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName,
          dimensionsMap: { EventBusName: eventBus.eventBusName, RuleName: rule.ruleName },
          statistic: cloudwatch.Stats.SUM,
          period,
        }),
      ]),
    );
    return new cloudwatch.MathExpression({
      expression: Object.keys(usingMetrics).join(' + '),
      usingMetrics,
      period,
      label,
    });
  }
}
