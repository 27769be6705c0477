import { Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { Functions } from '../../shared/config/functions.ts';
import { FunctionPermissions } from '../../shared/config/permissions.ts';
import { YardstickFunction } from './function.ts';
import type { Store } from './store.ts';

/**
 * Monday 07:00 UTC: the ISO week (Monday–Sunday, UTC) is complete, and the digest lands at the start
 * of the European working day and before the American one.
 */
export const DEFAULT_DIGEST_SCHEDULE = scheduler.ScheduleExpression.cron({
  minute: '0',
  hour: '7',
  weekDay: 'MON',
});

export interface DigestProps {
  readonly store: Store;
  /** The From address; must belong to a verified SES identity (the address itself or its domain). */
  readonly sender: string;
  /**
   * The SES identity that authorises `sender`.
   * @default - the sender address and its domain (whichever of the two is verified)
   */
  readonly senderIdentity?: string;
  /** @default DEFAULT_DIGEST_SCHEDULE (Monday 07:00 UTC) */
  readonly schedule?: scheduler.ScheduleExpression;
  /** Absolute path of a validated catalog to bundle (it names the recipients). @default - none */
  readonly catalogFile?: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - AWS owned keys */
  readonly encryptionKey?: kms.IKey;
}

export const DIGEST_TIMEOUT = Duration.minutes(5);

/**
 * Scheduler target invoking one function with a role allowed to invoke exactly that function. The
 * stock `LambdaInvoke` target uses `grantInvoke`, which also grants `<function arn>:*` (every version
 * and alias), a wildcard this stack has no use for.
 */
class InvokeFunction implements scheduler.IScheduleTarget {
  constructor(
    private readonly fn: lambda.IFunction,
    private readonly role: iam.IRole,
    private readonly retryPolicy: { readonly retryAttempts: number; readonly maxEventAge: Duration },
  ) {}

  bind(_schedule: scheduler.ISchedule): scheduler.ScheduleTargetConfig {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
    return {
      arn: this.fn.functionArn,
      role: this.role,
      retryPolicy: {
        maximumRetryAttempts: this.retryPolicy.retryAttempts,
        maximumEventAgeInSeconds: this.retryPolicy.maxEventAge.toSeconds(),
      },
    };
  }
}

/**
 * The weekly value digest: an EventBridge Scheduler schedule invoking the digest function, which may
 * send e-mail only from the configured sender identity.
 *
 * @example
 * ```ts
 * new Digest(this, 'Digest', { store, sender: 'yardstick@example.com', logRetention, removalPolicy });
 * ```
 */
export class Digest extends Construct {
  readonly handler: YardstickFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: DigestProps) {
    super(scope, id);

    this.handler = new YardstickFunction(this, 'Digest', {
      functionName: Functions.digest,
      entry: 'functions/digest/index.ts',
      description: 'Yardstick: builds, keeps and e-mails the weekly value digest',
      timeout: DIGEST_TIMEOUT,
      memorySize: 1024,
      catalogFile: props.catalogFile,
      settings: { tableName: props.store.table.tableName, digestSender: props.sender },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });
    props.store.grant(this.handler.role, Functions.digest);

    const stack = Stack.of(this);
    const identities = props.senderIdentity
      ? [props.senderIdentity]
      : [props.sender, props.sender.slice(props.sender.lastIndexOf('@') + 1)];
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendDigestFromSenderIdentityOnly',
        // The one permission source, which local mode enforces too.
        actions: [...FunctionPermissions.digest.ses],
        resources: identities.map((identity) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
        conditions: { StringEquals: { 'ses:FromAddress': props.sender } },
      }),
    );

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Lets EventBridge Scheduler invoke the Yardstick digest function',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account may assume the role.
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Weekly', {
      description: 'Yardstick weekly value digest',
      schedule: props.schedule ?? DEFAULT_DIGEST_SCHEDULE,
      // These retries cover failed hand-offs to Lambda only (the invocation is asynchronous); a
      // function error is retried by Lambda's own async retries and then alarmed.
      target: new InvokeFunction(this.handler.function, schedulerRole, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      }),
      key: props.encryptionKey,
    });
  }
}
