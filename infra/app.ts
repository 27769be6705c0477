import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { addComplianceChecks } from './nag.ts';
import { Yardstick, type YardstickProps } from './yardstick.ts';

/**
 * Context keys of the deployable app, e.g. `npx cdk deploy -c yardstick:digestSender=yardstick@example.com`.
 * Lists are comma-separated.
 */
export const AppContext = {
  stackName: 'yardstick:stackName',
  eventBusName: 'yardstick:eventBusName',
  producerAccounts: 'yardstick:producerAccounts',
  organizationId: 'yardstick:organizationId',
  /** `111111111111=acme.invoice-bot|acme.support-bot,222222222222=acme.copy`: each account's allowed sources. */
  producerSources: 'yardstick:producerSources',
  catalogFile: 'yardstick:catalogFile',
  digestSender: 'yardstick:digestSender',
  alarmEmail: 'yardstick:alarmEmail',
  removalPolicy: 'yardstick:removalPolicy',
} as const;

export const DEFAULT_STACK_NAME = 'Yardstick';

export interface YardstickStackProps extends StackProps {
  readonly yardstick?: YardstickProps;
  /**
   * Subscribes this address to the alarm topic (the subscription must be confirmed from the mail).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/** The standalone deployment: the Yardstick construct in its own stack, with its outputs. */
export class YardstickStack extends Stack {
  readonly yardstick: Yardstick;

  constructor(scope: Construct, id: string, props: YardstickStackProps = {}) {
    super(scope, id, {
      description: 'Yardstick: value, ROI and trust metrics for AI workflows',
      ...props,
    });
    this.yardstick = new Yardstick(this, 'Yardstick', props.yardstick);
    if (props.alarmEmail && this.yardstick.alarmTopic instanceof sns.Topic) {
      this.yardstick.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.yardstick.apiUrl, 'Query API base URL (SigV4-signed requests only)');
    output('EventBusName', this.yardstick.eventBus.eventBusName, 'Producers send events to this bus');
    output('EventBusArn', this.yardstick.eventBus.eventBusArn, 'Bus ARN for cross-account producers');
    output('TableName', this.yardstick.table.tableName, 'Metrics table');
    output('DeadLetterQueueUrl', this.yardstick.deadLetterQueue.queueUrl, 'Events that were not counted');
    output('AlarmTopicArn', this.yardstick.alarmTopic.topicArn, 'Subscribe ops to this topic');
    output(
      'AggregateFunctionName',
      this.yardstick.ingestion.aggregate.function.functionName,
      'Recording function: `yardstick replay --aws --aggregate-function` pauses its queue mapping',
    );
  }
}

const list = (value: unknown): string[] | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const sourcesByAccount = (value: unknown): Record<string, string[]> | undefined => {
  const entries = list(value);
  if (!entries) return undefined;
  return Object.fromEntries(
    entries.map((entry) => {
      const [account, sources] = entry.split('=');
      if (!account || !/^\d{12}$/.test(account) || !sources) {
        throw new Error(
          `${AppContext.producerSources} must look like 111111111111=acme.bot|acme.other,222222222222=acme.x; got "${entry}"`,
        );
      }
      return [account, sources.split('|').filter(Boolean)];
    }),
  );
};

const removalPolicyFrom = (value: unknown): RemovalPolicy | undefined => {
  if (value === undefined) return undefined;
  if (value === 'retain') return RemovalPolicy.RETAIN;
  if (value === 'destroy') return RemovalPolicy.DESTROY;
  throw new Error(`${AppContext.removalPolicy} must be "retain" or "destroy", got ${JSON.stringify(value)}`);
};

/** Reads the stack's settings from CDK context (cdk.json or `-c key=value`). */
export const stackPropsFromContext = (app: App): YardstickStackProps => {
  const get = (key: string): unknown => app.node.tryGetContext(key);
  const accounts = list(get(AppContext.producerAccounts));
  const organizationId = text(get(AppContext.organizationId));
  const restricted = sourcesByAccount(get(AppContext.producerSources));
  const sender = text(get(AppContext.digestSender));
  return {
    alarmEmail: text(get(AppContext.alarmEmail)),
    yardstick: {
      eventBusName: text(get(AppContext.eventBusName)),
      producers:
        accounts || organizationId || restricted
          ? { accounts, organizationId, ...(restricted ? { sourcesByAccount: restricted } : {}) }
          : undefined,
      catalogFile: text(get(AppContext.catalogFile)),
      digest: sender ? { sender } : undefined,
      removalPolicy: removalPolicyFrom(get(AppContext.removalPolicy)),
    },
  };
};

export interface CreateAppOptions {
  /** @default - the CDK CLI's output directory, or a temporary one */
  readonly outdir?: string;
  /** Context values, as `-c` would give them. */
  readonly context?: Record<string, unknown>;
}

/**
 * Builds the deployable app: one env-agnostic stack, cdk-nag and cfn-guard on every synth.
 *
 * @example
 * ```ts
 * const { app, stack } = createApp({ context: { 'yardstick:digestSender': 'yardstick@example.com' } });
 * app.synth();
 * ```
 */
export const createApp = (options: CreateAppOptions = {}): { app: App; stack: YardstickStack } => {
  const app = new App({ outdir: options.outdir, context: options.context });
  addComplianceChecks(app);
  const stack = new YardstickStack(
    app,
    text(app.node.tryGetContext(AppContext.stackName)) ?? DEFAULT_STACK_NAME,
    stackPropsFromContext(app),
  );
  return { app, stack };
};

const isEntryPoint =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) createApp().app.synth();
