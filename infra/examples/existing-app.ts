/**
 * Yardstick inside an existing CDK app (README, "Using the construct in your own CDK app").
 * The test suite compiles and synthesizes this file, so the example cannot drift from the construct.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { Yardstick } from '../yardstick.ts';

/** A platform team's stack that already has a central event bus, an ops topic and a KMS key. */
export class PlatformStack extends Stack {
  readonly yardstick: Yardstick;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // What the team already has: a key and an ops topic in this stack, a central bus deployed elsewhere.
    const key = new kms.Key(this, 'PlatformKey', { enableKeyRotation: true });
    // Control Tower CT.KMS.PR.3: grants on the key only for AWS services acting on AWS resources.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    const opsTopic = new sns.Topic(this, 'OpsTopic', { enforceSSL: true, masterKey: key });
    const centralBus = events.EventBus.fromEventBusName(this, 'CentralBus', 'platform-events');

    this.yardstick = new Yardstick(this, 'Yardstick', {
      // Rules and the archive attach to the team's bus; Yardstick adds its producer policy to it.
      eventBus: centralBus,
      producers: { organizationId: 'o-exampleorg1' },
      catalogFile: 'catalog.json',
      digest: {
        sender: 'yardstick@example.com',
        // Friday 16:00 in Berlin instead of Monday 07:00 UTC.
        schedule: scheduler.ScheduleExpression.cron({
          minute: '0',
          hour: '16',
          weekDay: 'FRI',
          timeZone: TimeZone.EUROPE_BERLIN,
        }),
      },
      alarmTopic: opsTopic,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
      ingestion: { maxConcurrency: 10 },
      apiThrottle: { rateLimit: 20, burstLimit: 40 },
    });

    // A reporting job may read the query API; a producer in this account may put events.
    const reporting = new iam.Role(this, 'ReportingRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.yardstick.api.grantRead(reporting);
    const producer = new iam.Role(this, 'ProducerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.yardstick.grantPutEvents(producer);
  }
}

/** Builds the example app; the test suite calls this and synthesizes it. */
export const buildExistingApp = (app: App = new App()): { app: App; stack: PlatformStack } => ({
  app,
  stack: new PlatformStack(app, 'Platform'),
});

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildExistingApp().app.synth();
}
