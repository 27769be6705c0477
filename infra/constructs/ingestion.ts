import { Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INGEST_PATTERN, INGESTION_RULES } from '../../events/patterns.ts';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { Functions } from '../../shared/config/functions.ts';
import type { PerWorkflowMetricsName } from '../../shared/telemetry/ingest-metrics.ts';
import { YardstickFunction } from './function.ts';
import type { Store } from './store.ts';

/** The bus name local mode serves too, so producers configured for one work against the other. */
export const DEFAULT_EVENT_BUS_NAME = 'yardstick';

/** Who may call `PutEvents` on the bus. */
export interface ProducerPrincipals {
  /**
   * Account ids allowed to put events.
   * @default - the account the stack is deployed to, when no organisation is given either
   */
  readonly accounts?: readonly string[];
  /**
   * An AWS Organizations id (`o-...`): every account in it may put events.
   * @default - no organisation-wide access
   */
  readonly organizationId?: string;
  /**
   * Per producer account, the only `Source` values it may put (the bus policy's `events:source`
   * condition): an account can then not report as another team's application. Accounts listed here
   * need not be repeated in `accounts`. Pair it with the catalog's per-workflow `sources`, which
   * quarantines events from sources not allowed for their workflow (`source_not_allowed`).
   * @default - no restriction on Source
   */
  readonly sourcesByAccount?: Readonly<Record<string, readonly string[]>>;
}

/** SQS → Lambda tuning. */
export interface IngestionBatching {
  /**
   * Records per invocation; more than 10 needs a batching window.
   * @default 100
   */
  readonly batchSize?: number;
  /** @default Duration.seconds(5) */
  readonly maxBatchingWindow?: Duration;
  /**
   * Concurrent aggregate invocations (2–1000): caps the write rate on hot counter items.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Receives before a message moves to the DLQ.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

export interface IngestionProps {
  readonly store: Store;
  /**
   * An existing bus to attach the rules to (e.g. an organisation-wide bus).
   * @default - a new bus named `eventBusName`
   */
  readonly eventBus?: events.IEventBus;
  /** @default 'yardstick' */
  readonly eventBusName?: string;
  /**
   * Principals allowed to put events. On an imported bus the policy is only added when this is set,
   * since the bus owner manages that bus's policy.
   * @default - the deploying account only
   */
  readonly producers?: ProducerPrincipals;
  /** Absolute path of a validated catalog to bundle. @default - none */
  readonly catalogFile?: string;
  /** @default 35 (`DEFAULT_LATENESS_DAYS`) */
  readonly latenessDays?: number;
  /** How long matching events are kept for replay. @default Duration.days(35) */
  readonly archiveRetention?: Duration;
  readonly batching?: IngestionBatching;
  /**
   * Which workflows get per-workflow CloudWatch metrics (`PER_WORKFLOW_METRICS` of the aggregate
   * function): `'catalog'`, `'all'` or `'off'`.
   * @default - the function's own default, `'catalog'`
   */
  readonly perWorkflowMetrics?: PerWorkflowMetricsName;
  /**
   * The daily cap on new workflow ids (ones not in the catalog) the aggregate function admits
   * (`MAX_NEW_WORKFLOWS_PER_DAY`); events of ids beyond it are quarantined.
   * @default - the function's own default, `ProducerLimits.newWorkflowsPerDay` (100)
   */
  readonly maxNewWorkflowsPerDay?: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - SQS-managed SSE on the queues, AWS owned key on the bus and archive */
  readonly encryptionKey?: kms.IKey;
}

/** Function timeout of the aggregate function; the queue's visibility timeout derives from it. */
export const AGGREGATE_TIMEOUT = Duration.seconds(60);

/**
 * SQS redelivers a message whose visibility timeout expires while the function still retries or
 * waits in its batching window; AWS asks for at least 6 × the function timeout (plus the window).
 */
export const visibilityTimeoutFor = (functionTimeout: Duration, batchingWindow: Duration): Duration =>
  Duration.seconds(functionTimeout.toSeconds() * 6 + batchingWindow.toSeconds());

/** A deep, mutable copy of a shared `as const` pattern, in the shape the CDK expects. */
export const toCdkEventPattern = (pattern: object): events.EventPattern =>
  structuredClone(pattern) as events.EventPattern;

const pascal = (id: string) =>
  id.replace(/(^|[-_.\s]+)([a-z0-9])/gi, (_match, _sep, char: string) => char.toUpperCase());

/**
 * Ingestion: EventBridge bus (with a producer policy and an archive for replay) → one rule per shared
 * pattern → encrypted SQS queue with a DLQ → the aggregate function, reporting partial batch failures.
 *
 * @example
 * ```ts
 * const ingestion = new Ingestion(this, 'Ingestion', {
 *   store, producers: { organizationId: 'o-abc123' },
 *   logRetention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
 * });
 * ```
 */
export class Ingestion extends Construct {
  readonly eventBus: events.IEventBus;
  readonly rules: events.Rule[] = [];
  readonly archive: events.Archive;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly aggregate: YardstickFunction;
  /** The producer policy, on a bus this construct created (an imported bus gets policy resources). */
  readonly busPolicy?: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    const batching = {
      batchSize: props.batching?.batchSize ?? 100,
      maxBatchingWindow: props.batching?.maxBatchingWindow ?? Duration.seconds(5),
      maxConcurrency: props.batching?.maxConcurrency ?? 5,
      maxReceiveCount: props.batching?.maxReceiveCount ?? 5,
    };
    const key = props.encryptionKey;

    const busName = props.eventBusName ?? DEFAULT_EVENT_BUS_NAME;
    const createdBus = props.eventBus
      ? undefined
      : new events.EventBus(this, 'Bus', {
          eventBusName: busName,
          description: 'Yardstick AI workflow events (usage, outcome, override)',
          kmsKey: key,
        });
    this.eventBus = props.eventBus ?? (createdBus as events.EventBus);
    this.busPolicy = this.addProducerPolicies(props.producers, createdBus && busName);

    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.eventBus,
      description: 'Yardstick events, kept for replay after a fix',
      // Only contract events are worth replaying; the bus may carry other traffic.
      eventPattern: toCdkEventPattern(INGEST_PATTERN),
      retention: props.archiveRetention ?? Duration.days(props.latenessDays ?? DEFAULT_LATENESS_DAYS),
      kmsKey: key,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      // Marks the queue as a DLQ (Control Tower CT.SQS.PR.1); naming the source queue instead would
      // make the two queues reference each other, a cycle CloudFormation rejects.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
      enforceSSL: true,
      ...queueEncryption(key),
    });
    this.aggregate = new YardstickFunction(this, 'Aggregate', {
      functionName: Functions.aggregate,
      entry: 'functions/aggregate/index.ts',
      description: 'Yardstick: aggregates AI workflow events into DynamoDB, exactly once',
      timeout: AGGREGATE_TIMEOUT,
      memorySize: 1024,
      catalogFile: props.catalogFile,
      // Names, defaults and validation from `shared/config/variables.ts`; an unset setting takes the
      // function's own default, so existing deployments keep their environment.
      settings: {
        tableName: props.store.table.tableName,
        latenessDays: props.latenessDays ?? DEFAULT_LATENESS_DAYS,
        perWorkflowMetrics: props.perWorkflowMetrics,
        maxNewWorkflowsPerDay: props.maxNewWorkflowsPerDay,
      },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: key,
    });
    props.store.grant(this.aggregate.role, Functions.aggregate);

    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: visibilityTimeoutFor(AGGREGATE_TIMEOUT, batching.maxBatchingWindow),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: batching.maxReceiveCount },
      enforceSSL: true,
      ...queueEncryption(key),
    });
    if (key) allowEventBridgeToUse(key);

    for (const [ruleId, pattern] of Object.entries(INGESTION_RULES)) {
      this.rules.push(
        new events.Rule(this, `${pascal(ruleId)}Rule`, {
          eventBus: this.eventBus,
          description: `Yardstick ingestion: routes "${ruleId}" events to the aggregation queue`,
          eventPattern: toCdkEventPattern(pattern),
          targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
        }),
      );
    }

    this.aggregate.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: batching.batchSize,
        maxBatchingWindow: batching.maxBatchingWindow,
        maxConcurrency: batching.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** `createdBusName` is set when this construct created the bus, undefined for an imported one. */
  private addProducerPolicies(
    producers: ProducerPrincipals | undefined,
    createdBusName: string | undefined,
  ): iam.PolicyDocument | undefined {
    if (!createdBusName && !producers) return undefined;
    // A created bus's ARN from its literal name: its own Ref or Fn::GetAtt in its policy is a cycle.
    const busArn = createdBusName
      ? Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: createdBusName })
      : this.eventBus.eventBusArn;
    const statements: iam.PolicyStatement[] = [];
    const restricted = producers?.sourcesByAccount ?? {};
    const restrictedAccounts = Object.keys(restricted);
    const accounts = (
      producers?.accounts ??
      (producers?.organizationId || restrictedAccounts.length > 0 ? [] : [Aws.ACCOUNT_ID])
    ).filter((account) => !restrictedAccounts.includes(account));
    for (const account of restrictedAccounts) {
      const sources = restricted[account] ?? [];
      if (sources.length === 0)
        throw new Error(`producers.sourcesByAccount.${account} must list at least one source`);
      statements.push(
        new iam.PolicyStatement({
          sid: `yardstick-producer-${account}`,
          actions: ['events:PutEvents'],
          principals: [new iam.AccountPrincipal(account)],
          resources: [busArn],
          conditions: { StringEquals: { 'events:source': [...sources] } },
        }),
      );
    }
    if (accounts.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'yardstick-producer-accounts',
          actions: ['events:PutEvents'],
          principals: accounts.map((account) => new iam.AccountPrincipal(account)),
          resources: [busArn],
        }),
      );
    }
    if (producers?.organizationId) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'yardstick-producer-organization',
          actions: ['events:PutEvents'],
          // "*" is scoped by the condition: only principals of this organisation match.
          principals: [new iam.AnyPrincipal()],
          resources: [busArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': producers.organizationId } },
        }),
      );
    }
    if (createdBusName) {
      // On a bus we create, the policy is a property of the bus: no extra resources, no ordering.
      const document = new iam.PolicyDocument({ statements });
      (this.eventBus.node.defaultChild as events.CfnEventBus).policy = document;
      return document;
    }
    // On an imported bus, one policy resource per statement adds to what the owner already has.
    for (const statement of statements) {
      new events.CfnEventBusPolicy(this, `Policy-${statement.sid}`, {
        eventBusName: this.eventBus.eventBusName,
        statementId: statement.sid ?? 'yardstick',
        statement: statement.toStatementJson(),
      });
    }
    return undefined;
  }
}

/**
 * With a customer key the queues use it; otherwise SSE-SQS, because EventBridge cannot write to a
 * queue encrypted with the AWS managed key aws/sqs (its key policy cannot be changed).
 *
 * @example
 * ```ts
 * new sqs.Queue(this, 'Queue', { enforceSSL: true, ...queueEncryption(key) });
 * ```
 */
export const queueEncryption = (
  key: kms.IKey | undefined,
): Pick<sqs.QueueProps, 'encryption' | 'encryptionMasterKey'> =>
  key
    ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key }
    : { encryption: sqs.QueueEncryption.SQS_MANAGED };

// EventBridge delivers to the encrypted queues and archives events under the same key.
const allowEventBridgeToUse = (key: kms.IKey): void => {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'yardstick-eventbridge-use',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      // In a key policy "*" means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
};
