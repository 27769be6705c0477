import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { FunctionName } from '../../shared/config/functions.ts';
import { Z_95 } from '../../shared/metrics/wilson.ts';
import {
  INGEST_METRICS_NAMESPACE,
  INGEST_METRICS_SERVICE,
  PipelineMetric,
  WORKFLOW_DIMENSION,
  WorkflowMetric,
} from '../../shared/telemetry/ingest-metrics.ts';

/** Powertools' name for the dimension that carries `INGEST_METRICS_SERVICE` on every EMF metric. */
export const SERVICE_DIMENSION = 'service';

/** The functions of the stack, by the one name both sides of the deploy boundary use. */
export type FunctionRoleName = FunctionName;

/** Keys of the per-workflow EMF metrics (`WorkflowMetric`), e.g. `'overrides'`. */
export type WorkflowMetricKey = keyof typeof WorkflowMetric;
/** Keys of the pipeline-health EMF metrics (`PipelineMetric`), e.g. `'eventsRejected'`. */
export type PipelineMetricKey = keyof typeof PipelineMetric;

/** What the metric factory reads from; every member is optional so a partial stack still gets metrics. */
export interface OpsMetricSources {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly functions: Readonly<Partial<Record<FunctionRoleName, lambda.IFunction>>>;
  readonly httpApi?: apigwv2.IHttpApi;
  /** The ingestion rules and the bus they sit on (rule metrics on a custom bus carry both names). */
  readonly ingestion?: { readonly eventBus: events.IEventBus; readonly rules: readonly events.IRule[] };
  /** The metrics table, for throttles and consumed capacity. */
  readonly table?: dynamodb.ITable;
  /** Where the counters function's stream mapping describes batches it gave up on. */
  readonly failedBatchQueue?: sqs.IQueue;
}

/** Options of one EMF metric. */
export interface EmfMetricOptions {
  /** @default YardstickOpsMetrics.DEFAULT_PERIOD (5 minutes) */
  readonly period?: Duration;
  /** @default 'Sum' */
  readonly statistic?: string;
  /** @default - the workflow id and the metric name */
  readonly label?: string;
}

/** Options of a rate that only counts when its period holds enough samples. */
export interface SampledRateOptions {
  /** @default YardstickOpsMetrics.TRUST_PERIOD (1 hour) */
  readonly period?: Duration;
  /**
   * Fewest samples (reviews, events) in a period for it to yield a value; periods with fewer yield none.
   * @default - no minimum
   */
  readonly minSamples?: number;
}

/** Rounds a constant for an expression (1.96² is 3.8415999999999997 in floating point). */
const constant = (value: number): string => String(Number(value.toPrecision(8)));

/**
 * A CloudWatch metric-math expression for one side of the Wilson score interval of
 * `successes / trials` (the same interval the API and the digest use, `wilsonInterval`). Metric math
 * has no SQRT, so the root is `^ 0.5`. `successes` and `trials` are ids of metrics or expressions.
 *
 * @example
 * ```ts
 * wilsonBoundExpression('overrides', 'reviews', 'low');
 * // "((overrides / reviews) + 1.9208 / reviews - 1.96 * (…) ^ 0.5) / (1 + 3.8416 / reviews)"
 * ```
 */
export const wilsonBoundExpression = (
  successes: string,
  trials: string,
  side: 'low' | 'high',
  z = Z_95,
): string => {
  const p = `(${successes} / ${trials})`;
  const z2 = z * z;
  const margin = `${constant(z)} * ((${p} * (1 - ${p}) / ${trials} + ${constant(z2 / 4)} / (${trials} ^ 2)) ^ 0.5)`;
  return `(${p} + ${constant(z2 / 2)} / ${trials} ${side === 'low' ? '-' : '+'} ${margin}) / (1 + ${constant(z2)} / ${trials})`;
};

/**
 * Metric factory for ops: every metric the alarms and the dashboard use, defined once so a dashboard
 * graphs exactly what an alarm watches. Keep it free of alarms and widgets.
 *
 * AWS service metrics (queues, functions, rules, table, API) come from the sources; the aggregate
 * function's EMF metrics (namespace `Yardstick`, dimension `service`, per workflow also `WorkflowId`)
 * from `shared/telemetry/ingest-metrics.ts`, whose constants name them.
 *
 * @example
 * ```ts
 * const metrics = new YardstickOpsMetrics({ queue, deadLetterQueue, functions: { aggregate } });
 * new cloudwatch.Alarm(this, 'Dlq', { metric: metrics.deadLetterQueueDepth(), threshold: 1, evaluationPeriods: 1 });
 * metrics.overrideRateLow95('invoice-triage', { minSamples: 10 }); // what the trust alarm watches
 * ```
 */
export class YardstickOpsMetrics {
  /** The period alarms and graphs use unless a caller asks otherwise. */
  static readonly DEFAULT_PERIOD = Duration.minutes(5);
  /** The period of value, cost and trust figures: reviews are too sparse for five minutes. */
  static readonly TRUST_PERIOD = Duration.hours(1);

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

  /**
   * Counting lag: the age of the newest record in the counters function's last batch when it was read
   * from the table's stream (Lambda's `IteratorAge`, in milliseconds). Events recorded this long ago
   * are not in the counters yet. Published only while the function is invoked.
   */
  countingLagMs(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.fn('counters').metric('IteratorAge', {
      statistic: cloudwatch.Stats.MAXIMUM,
      period,
      label: 'Counting lag, stream iterator age (ms)',
    });
  }

  /**
   * Batches of the table's stream Lambda gave up on (records that left the stream before they were
   * counted): anything above zero is recorded events missing from the counters.
   */
  failedBatches(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    if (!this.sources.failedBatchQueue) throw new Error('no failed-batch queue in this stack');
    return this.sources.failedBatchQueue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period,
      label: 'Failed stream batches',
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

  /** Throttled table requests, reads or writes (on demand still throttles a hot partition). */
  tableThrottles(kind: 'read' | 'write', period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.table().metric(kind === 'read' ? 'ReadThrottleEvents' : 'WriteThrottleEvents', {
      statistic: cloudwatch.Stats.SUM,
      period,
      label: `${kind} throttles`,
    });
  }

  /** Transactions cancelled by a concurrent write to the same item (hot counters under concurrency). */
  tableTransactionConflicts(period = YardstickOpsMetrics.DEFAULT_PERIOD): cloudwatch.IMetric {
    return this.table().metric('TransactionConflict', {
      statistic: cloudwatch.Stats.SUM,
      period,
      label: 'transaction conflicts',
    });
  }

  /** Consumed read or write capacity units per second, averaged over the period. */
  tableConsumedCapacity(
    kind: 'read' | 'write',
    period = YardstickOpsMetrics.DEFAULT_PERIOD,
  ): cloudwatch.IMetric {
    const table = this.table();
    const units =
      kind === 'read'
        ? table.metricConsumedReadCapacityUnits({ statistic: cloudwatch.Stats.SUM, period })
        : table.metricConsumedWriteCapacityUnits({ statistic: cloudwatch.Stats.SUM, period });
    // Distinct ids, so reads and writes can share a graph.
    const id = kind === 'read' ? 'rcu' : 'wcu';
    return new cloudwatch.MathExpression({
      expression: `${id} / PERIOD(${id})`,
      usingMetrics: { [id]: units },
      period,
      label: `${id.toUpperCase()} per second`,
    });
  }

  // --- EMF metrics of the aggregate function ---------------------------------------------------

  /** One pipeline-health metric (dimension `service` only, one for the whole fleet). */
  pipeline(metric: PipelineMetricKey, options: EmfMetricOptions = {}): cloudwatch.Metric {
    const { name } = PipelineMetric[metric];
    return new cloudwatch.Metric({
      namespace: INGEST_METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { [SERVICE_DIMENSION]: INGEST_METRICS_SERVICE },
      statistic: options.statistic ?? cloudwatch.Stats.SUM,
      period: options.period ?? YardstickOpsMetrics.DEFAULT_PERIOD,
      label: options.label ?? name,
    });
  }

  /**
   * Share of arriving events rejected as invalid: `EventsRejected / (EventsIngested + EventsRejected +
   * DuplicatesDropped)`. With `minSamples`, periods with fewer events yield no value.
   */
  rejectedEventRate(options: SampledRateOptions = {}): cloudwatch.IMetric {
    const period = options.period ?? YardstickOpsMetrics.DEFAULT_PERIOD;
    const rejected = this.pipeline('eventsRejected', { period });
    const total = new cloudwatch.MathExpression({
      expression: 'ingested + rejected + duplicates',
      usingMetrics: {
        ingested: this.pipeline('eventsIngested', { period }),
        rejected,
        duplicates: this.pipeline('duplicatesDropped', { period }),
      },
      period,
      label: 'Events arrived',
    });
    return new cloudwatch.MathExpression({
      expression: gate(options.minSamples, 'total', 'rejected / total'),
      usingMetrics: { rejected, total },
      period,
      label: 'Rejected share of events',
    });
  }

  /** One per-workflow metric (dimensions `service` and `WorkflowId`). */
  workflow(workflowId: string, metric: WorkflowMetricKey, options: EmfMetricOptions = {}): cloudwatch.Metric {
    const { name } = WorkflowMetric[metric];
    return new cloudwatch.Metric({
      namespace: INGEST_METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { [SERVICE_DIMENSION]: INGEST_METRICS_SERVICE, [WORKFLOW_DIMENSION]: workflowId },
      statistic: options.statistic ?? cloudwatch.Stats.SUM,
      period: options.period ?? YardstickOpsMetrics.TRUST_PERIOD,
      label: options.label ?? `${workflowId} ${name}`,
    });
  }

  /** Override rate of one workflow, `Overrides / Reviews` (no value in a period without reviews). */
  overrideRate(workflowId: string, period = YardstickOpsMetrics.TRUST_PERIOD): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: 'overrides / reviews',
      usingMetrics: this.trustCounts(workflowId, period, ['overrides']),
      period,
      label: 'Override rate',
    });
  }

  /** Acceptance rate of one workflow, `(Reviews − Overrides − Escalations) / Reviews`. */
  acceptanceRate(workflowId: string, period = YardstickOpsMetrics.TRUST_PERIOD): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: 'accepted / reviews',
      usingMetrics: { accepted: this.accepted(workflowId, period), ...this.trustCounts(workflowId, period) },
      period,
      label: 'Acceptance rate',
    });
  }

  /**
   * The 95 % Wilson lower bound of a workflow's override rate: above the target means the rate is
   * above it with 95 % confidence (the digest's rule). Periods with fewer than `minSamples` reviews
   * yield no value.
   */
  overrideRateLow95(workflowId: string, options: SampledRateOptions = {}): cloudwatch.IMetric {
    const period = options.period ?? YardstickOpsMetrics.TRUST_PERIOD;
    const counts = this.trustCounts(workflowId, period, ['overrides']);
    return this.gatedWilsonBound(
      { overrides: counts.overrides },
      counts.reviews,
      'low',
      'Override rate, 95 % lower bound',
      period,
      options.minSamples,
    );
  }

  /**
   * The 95 % Wilson upper bound of a workflow's acceptance rate: below the target means acceptance is
   * below it with 95 % confidence. Periods with fewer than `minSamples` reviews yield no value.
   */
  acceptanceRateHigh95(workflowId: string, options: SampledRateOptions = {}): cloudwatch.IMetric {
    const period = options.period ?? YardstickOpsMetrics.TRUST_PERIOD;
    const counts = this.trustCounts(workflowId, period);
    return this.gatedWilsonBound(
      { accepted: this.accepted(workflowId, period) },
      counts.reviews,
      'high',
      'Acceptance rate, 95 % upper bound',
      period,
      options.minSamples,
    );
  }

  /**
   * One per-workflow metric for every workflow that publishes it: a SEARCH on the `WorkflowId`
   * dimension, one line each. For dashboards only; CloudWatch cannot alarm on SEARCH.
   */
  fleetSearch(metric: WorkflowMetricKey, options: EmfMetricOptions = {}): cloudwatch.IMetric {
    const period = options.period ?? YardstickOpsMetrics.TRUST_PERIOD;
    return new cloudwatch.SearchExpression({
      expression: searchOf(metric, options.statistic ?? cloudwatch.Stats.SUM, period),
      // A dynamic label: the legend shows each line's workflow id.
      label: options.label ?? `\${PROP('Dim.${WORKFLOW_DIMENSION}')}`,
      period,
    });
  }

  /** One per-workflow metric summed over every workflow that publishes it (SEARCH: dashboards only). */
  fleetTotal(metric: WorkflowMetricKey, options: EmfMetricOptions = {}): cloudwatch.IMetric {
    const period = options.period ?? YardstickOpsMetrics.TRUST_PERIOD;
    return new cloudwatch.MathExpression({
      expression: `SUM(${searchOf(metric, cloudwatch.Stats.SUM, period)})`,
      usingMetrics: {},
      period,
      label: options.label ?? `${WorkflowMetric[metric].name}, all workflows`,
    });
  }

  /** Override rate of the whole fleet, `SUM(Overrides) / SUM(Reviews)` over every workflow (SEARCH). */
  fleetOverrideRate(period = YardstickOpsMetrics.TRUST_PERIOD): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: 'fleetOverrides / fleetReviews',
      usingMetrics: {
        fleetOverrides: this.fleetTotal('overrides', { period }),
        fleetReviews: this.fleetTotal('reviews', { period }),
      },
      period,
      label: 'Override rate, all workflows',
    });
  }

  /** The functions that exist in this stack, for callers that alarm or graph each of them. */
  get functionRoles(): FunctionRoleName[] {
    return (Object.keys(this.sources.functions) as FunctionRoleName[]).filter(
      (role) => this.sources.functions[role] !== undefined,
    );
  }

  // A Wilson bound of successes / reviews (`successes` holds one metric, under the name the expression
  // uses), with no value in periods that have fewer than `minSamples` reviews.
  private gatedWilsonBound(
    successes: Readonly<Record<string, cloudwatch.IMetric>>,
    reviews: cloudwatch.IMetric,
    side: 'low' | 'high',
    label: string,
    period: Duration,
    minSamples: number | undefined,
  ): cloudwatch.IMetric {
    const [name = 'successes'] = Object.keys(successes);
    const bound = new cloudwatch.MathExpression({
      expression: wilsonBoundExpression(name, 'reviews', side),
      usingMetrics: { ...successes, reviews },
      period,
      label,
    });
    return new cloudwatch.MathExpression({
      expression: gate(minSamples, 'reviews', 'bound'),
      usingMetrics: { reviews, bound },
      period,
      label: sampledLabel(label, minSamples),
    });
  }

  private fn(role: FunctionRoleName): lambda.IFunction {
    const fn = this.sources.functions[role];
    if (!fn) throw new Error(`no ${role} function in this stack`);
    return fn;
  }

  private table(): dynamodb.ITable {
    if (!this.sources.table) throw new Error('no table in this stack');
    return this.sources.table;
  }

  // `Reviews` and the counters a trust rate needs, as metric-math ids.
  private trustCounts<K extends 'overrides' | 'escalations'>(
    workflowId: string,
    period: Duration,
    include: readonly K[] = [],
  ): { reviews: cloudwatch.Metric } & Record<K, cloudwatch.Metric> {
    const counts: Record<string, cloudwatch.Metric> = {
      reviews: this.workflow(workflowId, 'reviews', { period, label: 'reviews' }),
    };
    for (const key of include) counts[key] = this.workflow(workflowId, key, { period, label: key });
    return counts as { reviews: cloudwatch.Metric } & Record<K, cloudwatch.Metric>;
  }

  // Accepted = reviews that were neither overridden (edited, rejected) nor escalated.
  private accepted(workflowId: string, period: Duration): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'reviews - overrides - escalations',
      usingMetrics: this.trustCounts(workflowId, period, ['overrides', 'escalations']),
      period,
      label: 'Accepted',
    });
  }

  // A math expression keeps one line per graph and one alarm however many rules there are.
  private sumOverRules(metricName: string, period: Duration, label: string): cloudwatch.IMetric {
    const { eventBus, rules = [] } = this.sources.ingestion ?? {};
    if (!eventBus || rules.length === 0) throw new Error('no ingestion rules in this stack');
    const usingMetrics = Object.fromEntries(
      rules.map((rule, index) => [
        // Ids unique per metric name, so matched and failed deliveries can share a graph.
        `${metricName.charAt(0).toLowerCase()}${metricName.slice(1)}${index}`,
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

// IF without a false branch drops the data point: a thin period yields nothing rather than a rate.
const gate = (minSamples: number | undefined, samples: string, value: string): string =>
  minSamples === undefined ? value : `IF(${samples} >= ${minSamples}, ${value})`;

const sampledLabel = (label: string, minSamples: number | undefined): string =>
  minSamples === undefined ? label : `${label} (≥ ${minSamples} reviews)`;

// `{namespace,dimensions…}` must name the metric's exact dimension set; `service=` pins this function.
const searchOf = (metric: WorkflowMetricKey, statistic: string, period: Duration): string =>
  `SEARCH('{${INGEST_METRICS_NAMESPACE},${SERVICE_DIMENSION},${WORKFLOW_DIMENSION}} MetricName="${WorkflowMetric[metric].name}" ${SERVICE_DIMENSION}="${INGEST_METRICS_SERVICE}"', '${statistic}', ${period.toSeconds()})`;
