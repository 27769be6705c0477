import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Annotations, Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_LATENESS_DAYS } from '../events/validate.ts';
import { type LoadedCatalog, loadCatalogFile } from '../shared/catalog/load.ts';
import {
  PerWorkflowMetrics,
  type PerWorkflowMetricsName,
  parsePerWorkflowMetrics,
} from '../shared/telemetry/ingest-metrics.ts';
import { Alarms, type AlarmThresholds } from './constructs/alarms.ts';
import { Api, type ApiThrottle } from './constructs/api.ts';
import { Counting } from './constructs/counting.ts';
import { OpsDashboard, type OpsDashboardOptions } from './constructs/dashboard.ts';
import { Digest } from './constructs/digest.ts';
import { Ingestion, type IngestionBatching, type ProducerPrincipals } from './constructs/ingestion.ts';
import { type FunctionRoleName, YardstickOpsMetrics } from './constructs/ops-metrics.ts';
import { OtlpEndpoint } from './constructs/otlp.ts';
import { Store } from './constructs/store.ts';
import {
  resolveWorkflowAlarmOptions,
  type WorkflowAlarmOptions,
  WorkflowAlarms,
} from './constructs/workflow-alarms.ts';

export type {
  AlarmThresholds,
  ApiThrottle,
  IngestionBatching,
  OpsDashboardOptions,
  PerWorkflowMetricsName,
  ProducerPrincipals,
  WorkflowAlarmOptions,
};

/** Per-workflow trust alarms (override rate and acceptance against each catalog workflow's targets). */
export interface YardstickWorkflowAlarmOptions extends WorkflowAlarmOptions {
  /**
   * Set to `false` to deploy without them ($0.50 a month per catalog workflow).
   * @default true when there is a catalog and per-workflow metrics are not `'off'`
   */
  readonly enabled?: boolean;
}

/** The weekly digest. */
export interface YardstickDigestOptions {
  /**
   * Set to `false` to deploy without the digest.
   * @default true when a sender is known (here or in the catalog's `digest.sender`)
   */
  readonly enabled?: boolean;
  /**
   * The From address, on a verified SES identity.
   * @default - the catalog's `digest.sender`
   */
  readonly sender?: string;
  /**
   * The SES identity (address or domain) that authorises the sender.
   * @default - the sender address and its domain
   */
  readonly senderIdentity?: string;
  /** @default Monday 07:00 UTC */
  readonly schedule?: scheduler.ScheduleExpression;
}

/** How long things are kept. */
export interface YardstickRetention {
  /**
   * Function and API access logs. One year by default: Control Tower's CT.CLOUDWATCH.PR.2 asks for it
   * and the volume is small.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logs?: logs.RetentionDays;
  /**
   * Event archive (for replay).
   * @default - the lateness window: older events would be rejected on replay anyway
   */
  readonly archive?: Duration;
  /**
   * How late an event may reach the bus, in days (1–35); later ones are quarantined `too_late` and
   * older history is loaded with `yardstick import`. Dedupe markers live this + 21 days (the longest
   * SQS wait and a week), see docs/counting.md.
   * @default 35
   */
  readonly latenessDays?: number;
}

export interface YardstickProps {
  /**
   * An existing event bus to ingest from, e.g. a central organisation bus.
   * @default - a new bus named `eventBusName`
   */
  readonly eventBus?: events.IEventBus;
  /** @default 'yardstick' (the name local mode serves) */
  readonly eventBusName?: string;
  /**
   * Accounts or an organisation allowed to `PutEvents` on the bus.
   * @default - the deploying account only
   */
  readonly producers?: ProducerPrincipals;
  /**
   * The workflow catalog (JSON), validated at synth and bundled into each function. A path given
   * explicitly must exist; the default is used only when present.
   * @default 'catalog.json' in the working directory, if it exists
   */
  readonly catalogFile?: string;
  /** @default - enabled when a sender is known, Monday 07:00 UTC */
  readonly digest?: YardstickDigestOptions;
  /** @default - logs one year, archive and lateness 35 days */
  readonly retention?: YardstickRetention;
  /**
   * Where alarms notify (ALARM and OK). A topic defined in this app gets a policy statement letting
   * this account's CloudWatch alarms publish (an imported topic's policy must already allow it).
   * @default - a new SNS topic; subscribe to it after deploying
   */
  readonly alarmTopic?: sns.ITopic;
  readonly alarmThresholds?: AlarmThresholds;
  /**
   * Which workflows get per-workflow CloudWatch metrics: `'catalog'` (bounded by a reviewed file),
   * `'all'` (every workflowId producers send: they choose how many metrics you pay for) or `'off'`.
   * @default 'catalog'
   */
  readonly perWorkflowMetrics?: PerWorkflowMetricsName;
  /**
   * New workflow ids (not in the catalog) the aggregate function admits per UTC day; events of further
   * new ids are quarantined `workflow_limit`. Catalogued workflows never count against it.
   * @default 100 (`ProducerLimits.newWorkflowsPerDay`)
   */
  readonly maxNewWorkflowsPerDay?: number;
  /** @default - enabled with a catalog: one-hour periods, 10 reviews, 2 of 3 periods */
  readonly workflowAlarms?: YardstickWorkflowAlarmOptions;
  /** The CloudWatch ops dashboard. @default - enabled, named by CloudFormation, at most 50 workflow rows */
  readonly dashboard?: OpsDashboardOptions;
  /**
   * What happens to the table and the logs when the stack is deleted. Any policy other than
   * `DESTROY` also turns on the table's deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * A customer-managed KMS key for the table, queues, bus, archive, logs, topic and schedule. When it
   * is a key created in the same app, its key policy is extended for the AWS services that use it;
   * an imported key's policy must already allow them (see the README, Deploy to AWS).
   * @default - AWS managed or AWS owned keys (no key fee)
   */
  readonly encryptionKey?: kms.IKey;
  /** @default - batches of 100, 5 s window, at most 5 concurrent invocations, 5 receives */
  readonly ingestion?: IngestionBatching;
  /** @default - 50 requests/s, bursts of 100 */
  readonly apiThrottle?: ApiThrottle;
}

/**
 * Yardstick on AWS: EventBridge bus → SQS → aggregate function (records events) → DynamoDB, whose
 * stream feeds the counters function (counts them), a SigV4-protected query
 * API, the weekly SES digest, and alarms. Add it to any stack; it needs no Docker and no network at
 * synth.
 *
 * @example
 * ```ts
 * import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
 * import { Yardstick } from './infra/yardstick.ts';
 *
 * const app = new App();
 * const stack = new Stack(app, 'Platform');
 * const yardstick = new Yardstick(stack, 'Yardstick', {
 *   producers: { organizationId: 'o-abc123def4' },
 *   catalogFile: 'catalog.json',
 *   digest: { sender: 'yardstick@example.com' },
 *   removalPolicy: RemovalPolicy.RETAIN,
 * });
 * yardstick.api.grantRead(someRole);
 * ```
 */
export class Yardstick extends Construct {
  readonly store: Store;
  readonly ingestion: Ingestion;
  /** The counters function on the table's stream, and its failed-batch queue. */
  readonly counting: Counting;
  readonly api: Api;
  /** The OTLP/HTTP endpoint: POST /v1/traces and /v1/logs on the API, SigV4-authorised (docs/otlp.md). */
  readonly otlp: OtlpEndpoint;
  /** Undefined when the digest is disabled or no sender is known. */
  readonly digest?: Digest;
  readonly alarms: Alarms;
  /** Undefined without a catalog, with per-workflow metrics off, or when disabled. */
  readonly workflowAlarms?: WorkflowAlarms;
  /** Undefined when disabled. */
  readonly dashboard?: OpsDashboard;
  readonly metrics: YardstickOpsMetrics;
  readonly alarmTopic: sns.ITopic;
  /** The validated catalog, when one was found. */
  readonly catalog?: LoadedCatalog;

  constructor(scope: Construct, id: string, props: YardstickProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.retention?.logs ?? logs.RetentionDays.ONE_YEAR;
    const latenessDays = props.retention?.latenessDays ?? DEFAULT_LATENESS_DAYS;
    if (!Number.isInteger(latenessDays) || latenessDays < 1 || latenessDays > DEFAULT_LATENESS_DAYS) {
      throw new Error(
        `retention.latenessDays must be an integer from 1 to ${DEFAULT_LATENESS_DAYS} (load older history with yardstick import), got ${latenessDays}`,
      );
    }
    const encryptionKey = props.encryptionKey;
    const common = { logRetention, removalPolicy, encryptionKey };

    const catalogFile = findCatalog(props.catalogFile);
    // A broken catalog fails here, naming the file, the path in it and the field.
    this.catalog = catalogFile ? loadCatalogFile(catalogFile.asGiven) : undefined;
    const bundledCatalog = catalogFile?.absolute;
    // Validated here too, so a typo from JavaScript fails the synth rather than the function's cold start.
    const perWorkflowMetrics = parsePerWorkflowMetrics(props.perWorkflowMetrics);

    if (encryptionKey) allowServicesToUseKey(encryptionKey);

    this.store = new Store(this, 'Store', { removalPolicy, encryptionKey });
    this.ingestion = new Ingestion(this, 'Ingestion', {
      ...common,
      store: this.store,
      eventBus: props.eventBus,
      eventBusName: props.eventBusName,
      producers: props.producers,
      catalogFile: bundledCatalog,
      latenessDays,
      archiveRetention: props.retention?.archive ?? Duration.days(latenessDays),
      batching: props.ingestion,
      // Only when given: an unset variable means the same default, and existing deployments keep their environment.
      perWorkflowMetrics: props.perWorkflowMetrics === undefined ? undefined : perWorkflowMetrics,
      maxNewWorkflowsPerDay: props.maxNewWorkflowsPerDay,
    });
    this.counting = new Counting(this, 'Counting', {
      ...common,
      store: this.store,
      catalogFile: bundledCatalog,
    });
    this.api = new Api(this, 'Api', {
      ...common,
      store: this.store,
      catalogFile: bundledCatalog,
      throttle: props.apiThrottle,
    });

    this.otlp = new OtlpEndpoint(this, 'Otlp', {
      ...common,
      httpApi: this.api.httpApi,
      eventBus: this.ingestion.eventBus,
      catalogFile: bundledCatalog,
    });

    const sender = props.digest?.sender ?? this.catalog?.catalog.digest.sender;
    if (props.digest?.enabled !== false && sender) {
      this.digest = new Digest(this, 'Digest', {
        ...common,
        store: this.store,
        sender,
        senderIdentity: props.digest?.senderIdentity,
        schedule: props.digest?.schedule,
        catalogFile: bundledCatalog,
      });
    } else if (props.digest?.enabled !== false) {
      Annotations.of(this).addWarningV2(
        'yardstick:digestWithoutSender',
        'The weekly digest is not deployed: no sender. Set digest.sender (or digest.sender in the catalog) to a verified SES identity, or digest.enabled=false to silence this.',
      );
    }

    this.alarmTopic =
      props.alarmTopic ??
      new sns.Topic(this, 'AlarmTopic', {
        displayName: 'Yardstick alarms',
        enforceSSL: true,
        masterKey: encryptionKey,
      });
    allowAlarmsToPublish(this.alarmTopic);

    const functions: Partial<Record<FunctionRoleName, lambda.IFunction>> = {
      aggregate: this.ingestion.aggregate.function,
      counters: this.counting.counters.function,
      api: this.api.handler.function,
      ...(this.digest ? { digest: this.digest.handler.function } : {}),
      otlp: this.otlp.handler.function,
    };
    this.metrics = new YardstickOpsMetrics({
      queue: this.ingestion.queue,
      deadLetterQueue: this.ingestion.deadLetterQueue,
      functions,
      httpApi: this.api.httpApi,
      ingestion: { eventBus: this.ingestion.eventBus, rules: this.ingestion.rules },
      table: this.store.table,
      failedBatchQueue: this.counting.failedBatchQueue,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      metrics: this.metrics,
      topic: this.alarmTopic,
      thresholds: props.alarmThresholds,
    });

    // Without per-workflow metrics there is nothing to alarm on or draw per workflow.
    const workflows =
      perWorkflowMetrics === PerWorkflowMetrics.off ? [] : (this.catalog?.catalog.workflows ?? []);
    const trust = resolveWorkflowAlarmOptions(props.workflowAlarms);
    if (props.workflowAlarms?.enabled !== false && workflows.length > 0) {
      this.workflowAlarms = new WorkflowAlarms(this, 'WorkflowAlarms', {
        ...trust,
        metrics: this.metrics,
        topic: this.alarmTopic,
        workflows,
      });
    }
    if (props.dashboard?.enabled !== false) {
      this.dashboard = new OpsDashboard(this, 'Dashboard', {
        metrics: this.metrics,
        dashboardName: props.dashboard?.dashboardName,
        maxWorkflowRows: props.dashboard?.maxWorkflowRows,
        perWorkflowMetrics,
        workflows,
        trust: { period: trust.period, minSamples: trust.minReviews },
        alarms: [...Object.values(this.alarms.byName), ...(this.workflowAlarms?.alarms ?? [])],
      });
    }

    this.acknowledgeDesignChoices(encryptionKey);
  }

  get eventBus(): events.IEventBus {
    return this.ingestion.eventBus;
  }

  get table(): dynamodb.Table {
    return this.store.table;
  }

  get queue(): sqs.Queue {
    return this.ingestion.queue;
  }

  get deadLetterQueue(): sqs.Queue {
    return this.ingestion.deadLetterQueue;
  }

  get httpApi(): apigwv2.HttpApi {
    return this.api.httpApi;
  }

  /** The query API's base URL. */
  get apiUrl(): string {
    return this.api.url;
  }

  /** Lets a producer role put events on the bus (same account; other accounts need `producers`). */
  grantPutEvents(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.eventBus.eventBusArn],
    });
  }

  // Findings that are deliberate trade-offs, acknowledged once for everything this construct owns.
  private acknowledgeDesignChoices(encryptionKey: kms.IKey | undefined): void {
    // CT.LAMBDA.PR.3
    Validations.of(this).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'The functions reach only AWS APIs (DynamoDB, SES, SQS) and hold no network-private resources; a VPC would add NAT or endpoint costs and cold-start latency for no isolation gain. Attach one with Aspects if your organisation requires it.',
    });
    if (!encryptionKey) {
      // CT.CLOUDWATCH.PR.3
      Validations.of(this).acknowledge({
        id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
        reason:
          'Without an encryptionKey prop, log groups use CloudWatch Logs service-side encryption (always on); a customer-managed key costs a monthly fee, so it is opt-in via encryptionKey.',
      });
    }
  }
}

interface CatalogLocation {
  readonly asGiven: string;
  readonly absolute: string;
}

const findCatalog = (given: string | undefined): CatalogLocation | undefined => {
  const asGiven = given ?? 'catalog.json';
  const absolute = resolve(asGiven);
  // An explicit path that does not exist is a mistake; let the loader report it.
  if (given === undefined && !existsSync(absolute)) return undefined;
  return { asGiven, absolute };
};

// A topic with a policy of its own (enforceSSL creates one) has lost SNS's default policy, and with it
// CloudWatch's right to publish: alarms would fire and notify nobody. An imported topic is left as is.
const allowAlarmsToPublish = (topic: sns.ITopic): void => {
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'yardstick-cloudwatch-alarms-publish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
        },
      },
    }),
  );
};

// Services that write encrypted data on our behalf need the key policy to let them; grants to the
// functions' roles are added where the roles get their other permissions.
const allowServicesToUseKey = (key: kms.IKey): void => {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'yardstick-logs-use',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: [
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ],
      // In a key policy "*" means this key.
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'yardstick-cloudwatch-alarms-use',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
};
