import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../events/detail-types.ts';
import { INGEST_PATTERN, INGESTION_RULES } from '../../events/patterns.ts';
import { AppContext, createApp, type YardstickStack } from '../../infra/app.ts';
import { CHUNK_DIR, MAX_BUNDLE_BYTES } from '../../infra/constructs/bundling.ts';
import { BundledCatalog, FUNCTION_RUNTIME } from '../../infra/constructs/function.ts';
import { type EventPattern, matchesEventPattern } from '../../infra/local/event-pattern.ts';
import { FUNCTION_NAMES } from '../../shared/config/functions.ts';
import { FunctionVariables, Variables } from '../../shared/config/variables.ts';
import { TableKeys } from '../../shared/store/dynamodb/table.ts';
import { provideRuntimeModules } from '../support/function-bundles.ts';
import {
  acknowledgements,
  environmentOf,
  iamStatements,
  onlyResource,
  references,
  resourcesOf,
  synthWithReport,
  tempOutdir,
  unacknowledgedFindings,
  type ValidationReport,
} from './synth.ts';

const SENDER = 'digest@example.com';
const ORGANIZATION = 'o-exampleorg1';

let stack: YardstickStack;
let template: Template;
let report: ValidationReport;
let assemblyDir: string;

beforeAll(() => {
  // Prepare: the deployable app exactly as `cdk synth` builds it, with the compliance plugins.
  const outdir = tempOutdir();
  const built = createApp({
    outdir,
    context: { [AppContext.digestSender]: SENDER, [AppContext.organizationId]: ORGANIZATION },
  });
  stack = built.stack;
  // Act
  report = synthWithReport(built.app);
  assemblyDir = outdir;
  template = Template.fromStack(stack);
  // A synth with cdk-nag and cfn-guard over four functions' resources takes minutes on a loaded machine.
}, 300_000);

// Bundled assets sit in the cloud assembly as `asset.<hash>`, the hash being the S3 object key.
const assetDirOf = (fn: { Properties?: Record<string, unknown> } | undefined): string =>
  join(
    assemblyDir,
    `asset.${String((fn?.Properties?.Code as { S3Key?: string } | undefined)?.S3Key).replace(/\.zip$/, '')}`,
  );

/** A function asset's JavaScript files: `index.mjs` and the chunks it loads on first use, by relative path. */
const javaScriptOf = (dir: string): string[] => [
  ...readdirSync(dir).filter((file) => file.endsWith('.mjs')),
  ...(existsSync(join(dir, CHUNK_DIR))
    ? readdirSync(join(dir, CHUNK_DIR))
        .filter((file) => file.endsWith('.mjs'))
        .map((file) => `${CHUNK_DIR}/${file}`)
    : []),
];

// An alarm's metrics, whether rendered as MetricName/Dimensions or as a Metrics array.
const alarmMetrics = (alarm: Record<string, unknown>) => {
  if (alarm.MetricName) return [alarm as { Namespace: string; MetricName: string; Dimensions: unknown }];
  return (
    (alarm.Metrics ?? []) as {
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown } };
    }[]
  ).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
};

// The mapping that feeds the aggregate function from the ingestion queue (the other reads the table stream).
const queueMapping = () => {
  const queueId = stack.getLogicalId(stack.yardstick.queue.node.defaultChild as CfnElement);
  const found = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter((m) =>
    references(m.Properties?.EventSourceArn, queueId),
  );
  if (found.length !== 1)
    throw new Error(`expected one mapping on the ingestion queue, found ${found.length}`);
  return found[0]?.Properties ?? {};
};

const functionLogicalId = (entryHint: string): string => {
  const match = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(([id]) =>
    id.toLowerCase().includes(entryHint),
  );
  if (!match) throw new Error(`no ${entryHint} function`);
  return match[0];
};

describe('compliance', () => {
  it('leaves no cdk-nag or cfn-guard finding unacknowledged', () => {
    // Assess
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual([
      'AwsSolutions',
      'cdk-validator-cfnguard',
    ]);
    expect(unacknowledgedFindings(report)).toEqual([]);
    for (const plugin of report.pluginReports) expect(plugin.conclusion).toBe('success');
  });

  it('acknowledges only the reviewed exceptions, each with a written reason', () => {
    // Act
    const acks = acknowledgements(stack);
    // Assess: a new exception must be added here deliberately, with its reason in the code.
    expect([...new Set(acks.map((ack) => ack.id))].sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-SQS3',
      'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
    ]);
    for (const ack of acks) expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(40);
  });

  it('uses the wildcard resource only for X-Ray, which has no resource-level permissions', () => {
    // Act
    const wildcard = iamStatements(template).filter((s) => s.resources.includes('*'));
    // Assess: one X-Ray statement per function role
    expect(wildcard.length).toBe(FUNCTION_NAMES.length);
    for (const statement of wildcard) {
      expect(statement.actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it('grants no wildcard action anywhere, in IAM or resource policies (only TLS-guard denies use one)', () => {
    // Prepare
    const documents = [
      ...Object.values(resourcesOf(template, 'AWS::IAM::Policy')).map((r) => r.Properties?.PolicyDocument),
      ...Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).map(
        (r) => r.Properties?.PolicyDocument,
      ),
      ...Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).map(
        (r) => r.Properties?.PolicyDocument,
      ),
      onlyResource(template, 'AWS::Events::EventBus').properties.Policy,
    ] as { Statement: { Effect: string; Action: string | string[]; Condition?: unknown }[] }[];
    // Act
    const statements = documents.flatMap((document) => document.Statement);
    const allowed = statements
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => ([] as string[]).concat(statement.Action));
    const wildcardDenies = statements.filter(
      (statement) =>
        statement.Effect === 'Deny' && ([] as string[]).concat(statement.Action).some((a) => a.includes('*')),
    );
    // Assess
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.filter((action) => action.includes('*'))).toEqual([]);
    for (const deny of wildcardDenies) {
      expect(deny.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    }
  });

  it('grants explicit actions on the table, the queue and the bus', () => {
    // Prepare
    const targets = [
      onlyResource(template, 'AWS::DynamoDB::Table').logicalId,
      onlyResource(template, 'AWS::Events::EventBus').logicalId,
      ...Object.keys(resourcesOf(template, 'AWS::SQS::Queue')),
    ];
    // Act
    const onTargets = iamStatements(template).filter((s) =>
      targets.some((logicalId) => references(s.resources, logicalId)),
    );
    // Assess
    expect(onTargets.length).toBeGreaterThan(0);
    for (const statement of onTargets) {
      for (const action of statement.actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    }
    const tableActions = onTargets
      .filter((s) => s.actions.some((action) => action.startsWith('dynamodb:')))
      .flatMap((s) => s.actions);
    expect(tableActions).not.toContain('dynamodb:Scan');
    expect(tableActions).not.toContain('dynamodb:DeleteItem');
  });
});

describe('ingestion', () => {
  it('creates one rule per shared pattern, with exactly that pattern', () => {
    // Act
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule'));
    // Assess
    expect(rules.length).toBe(Object.keys(INGESTION_RULES).length);
    const patterns = rules.map((rule) => rule.Properties?.EventPattern);
    for (const pattern of Object.values(INGESTION_RULES)) expect(patterns).toContainEqual(pattern);
  });

  it('archives exactly the contract events for replay', () => {
    // Act
    const archive = onlyResource(template, 'AWS::Events::Archive');
    // Assess
    expect(archive.properties.EventPattern).toEqual(INGEST_PATTERN);
    expect(archive.properties.RetentionDays).toBe(35);
    expect(
      references(archive.properties.SourceArn, onlyResource(template, 'AWS::Events::EventBus').logicalId),
    ).toBe(true);
  });

  it('limits PutEvents on the bus to the configured principals', () => {
    // Act
    const bus = onlyResource(template, 'AWS::Events::EventBus');
    const statements = (bus.properties.Policy as { Statement: Record<string, unknown>[] }).Statement;
    // Assess
    expect(bus.properties.Name).toBe('yardstick');
    expect(statements.map((s) => s.Action)).toEqual(['events:PutEvents']);
    expect(statements[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION } },
    });
    expect(JSON.stringify(statements[0]?.Resource)).toContain(':event-bus/yardstick');
  });

  it('routes rule deliveries that fail to the DLQ, and queue messages after 5 receives', () => {
    // Prepare
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const [queueId, queue] = Object.entries(queues).find(([, q]) => q.Properties?.RedrivePolicy) ?? [];
    const [dlqId] = Object.entries(queues).find(([id]) => id !== queueId) ?? [];
    // Act
    const rule = Object.values(resourcesOf(template, 'AWS::Events::Rule'))[0];
    const target = (rule?.Properties?.Targets as Record<string, unknown>[] | undefined)?.[0];
    // Assess
    expect(queue?.Properties?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(references(target?.Arn, queueId as string)).toBe(true);
    expect(target?.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } });
    expect(queues[dlqId as string]?.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
  });

  it('encrypts every queue and refuses non-TLS access', () => {
    // Act
    const queues = Object.values(resourcesOf(template, 'AWS::SQS::Queue'));
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    // Assess
    // The ingestion queue, its DLQ and the counters' failed-batch queue.
    expect(queues.length).toBe(3);
    for (const queue of queues) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    expect(policies.length).toBe(3);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('keeps the visibility timeout at least 6 × the aggregate function timeout', () => {
    // Prepare
    const mapping = queueMapping();
    const fnId = (mapping.FunctionName as { Ref: string }).Ref;
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[fnId]?.Properties;
    const queueId = (mapping.EventSourceArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    // Act
    const visibility = resourcesOf(template, 'AWS::SQS::Queue')[queueId]?.Properties
      ?.VisibilityTimeout as number;
    // Assess
    expect(fn?.Timeout).toBe(60);
    expect(visibility).toBeGreaterThanOrEqual(6 * (fn?.Timeout as number));
  });

  it('reads batches with partial failure reporting, a batching window and a concurrency cap', () => {
    // Act
    const mapping = queueMapping();
    // Assess
    expect(mapping).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('store', () => {
  it('creates an on-demand table with the shared keys, PITR, TTL, KMS encryption and deletion protection', () => {
    // Act
    const table = onlyResource(template, 'AWS::DynamoDB::Table');
    // Assess
    expect(table.properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TableKeys.timeToLive, Enabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.resource.DeletionPolicy).toBe('Retain');
  });
});

describe('api', () => {
  it('requires IAM auth on every route', () => {
    // Act
    const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
    // Assess
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(route.Properties?.AuthorizationType).toBe('AWS_IAM');
  });

  it('throttles and access-logs the stage', () => {
    // Act
    const stage = onlyResource(template, 'AWS::ApiGatewayV2::Stage').properties;
    // Assess
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 });
    expect(stage.AccessLogSettings).toMatchObject({ Format: expect.stringContaining('$context.requestId') });
  });
});

describe('digest', () => {
  it('runs every Monday at 07:00 UTC and invokes the digest function', () => {
    // Act
    const schedule = onlyResource(template, 'AWS::Scheduler::Schedule').properties;
    // Assess
    expect(schedule.ScheduleExpression).toBe('cron(0 7 ? * MON *)');
    expect(schedule.ScheduleExpressionTimezone).toBe('Etc/UTC');
    expect(schedule.State).toBe('ENABLED');
    expect(references((schedule.Target as Record<string, unknown>).Arn, functionLogicalId('digest'))).toBe(
      true,
    );
  });

  it('may send e-mail only from the sender identity', () => {
    // Act
    const ses = iamStatements(template).filter((s) => s.actions.some((action) => action.startsWith('ses:')));
    // Assess
    expect(ses.length).toBe(1);
    expect(ses[0]?.actions).toEqual(['ses:SendEmail']);
    expect(ses[0]?.statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': SENDER } });
    const arns = JSON.stringify(ses[0]?.resources);
    expect(arns).toContain(`:identity/${SENDER}`);
    expect(arns).toContain(':identity/example.com');
  });
});

describe('functions', () => {
  it('run on the newest Node runtime, on arm64, with source maps and active tracing', () => {
    // Act
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    // Assess
    expect(functions.length).toBe(FUNCTION_NAMES.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: FUNCTION_RUNTIME.name,
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
  });

  it('carry only the variables the configuration module declares for each, never secrets', () => {
    // Act
    const names = Object.fromEntries(
      FUNCTION_NAMES.map((role) => [
        role,
        Object.keys(environmentOf(resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(role)])),
      ]),
    );
    // Assess: NODE_OPTIONS is read by Node itself; every other name comes from shared/config/variables.ts.
    for (const [role, keys] of Object.entries(FunctionVariables)) {
      const declared = new Set(['NODE_OPTIONS', ...keys.map((key) => Variables[key].name)]);
      expect(names[role]?.filter((name) => !declared.has(name))).toEqual([]);
      if ((keys as readonly string[]).includes('tableName'))
        expect(names[role]).toContain(Variables.tableName.name);
    }
  });

  it('bundle the validated catalog next to each handler and point the loader at it', () => {
    // Prepare
    const repoCatalog = readFileSync('catalog.json', 'utf8');
    // Act
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    // Assess
    for (const fn of functions) {
      const variables = environmentOf(fn);
      expect(variables[BundledCatalog.environmentVariable]).toBe(BundledCatalog.path);
      const assetDir = assetDirOf(fn);
      expect(readFileSync(join(assetDir, BundledCatalog.fileName), 'utf8')).toBe(repoCatalog);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    }
  });

  it('keep license notices next to each bundle and the bundle within the size limit', () => {
    // Act
    const assetDirs = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).map(assetDirOf);
    // Assess: the deployed files themselves, as the bundle-size test builds them in memory.
    for (const dir of assetDirs) {
      const code = javaScriptOf(dir);
      expect(code).toContain('index.mjs');
      expect(code.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0)).toBeLessThanOrEqual(
        MAX_BUNDLE_BYTES,
      );
      const notices = code.filter((file) => existsSync(join(dir, `${file}.LEGAL.txt`)));
      expect(notices).not.toEqual([]);
      for (const file of notices) {
        expect(readFileSync(join(dir, `${file}.LEGAL.txt`), 'utf8')).toMatch(/^Bundled license information:/);
      }
    }
  });

  it('load as ESM bundles outside the repository, chunks included, with only the runtime-provided SDK beside them', () => {
    // Prepare: importing a bundle runs its init code (settings, catalog) without calling AWS, and
    // importing its chunks runs what the first event loads (clients, stores, logger).
    const assetDirs = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).map(assetDirOf);
    // Lambda resolves the runtime's SDK from /var/runtime/node_modules, outside /var/task; here a
    // node_modules above the assets holds the same scopes and nothing else.
    provideRuntimeModules(assemblyDir);
    const imports = assetDirs
      .map((dir) => `(await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)})).handler`)
      .join(', ');
    const chunks = assetDirs.flatMap((dir) =>
      javaScriptOf(dir)
        .filter((file) => file !== 'index.mjs')
        .map((file) => `await import(${JSON.stringify(pathToFileURL(join(dir, file)).href)});`),
    );
    // Act
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `${chunks.join('')}console.log([${imports}].map((h) => typeof h).join(','), ${chunks.length});`,
      ],
      {
        cwd: assetDirs[0],
        env: {
          ...process.env,
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          TABLE_NAME: 'yardstick',
          DIGEST_SENDER: SENDER,
          [BundledCatalog.environmentVariable]: join(assetDirs[0] as string, BundledCatalog.fileName),
        },
        encoding: 'utf8',
      },
    );
    // Assess: every chunk resolved what it needs (its `require()` of the SDK included).
    expect(output.trim()).toMatch(
      new RegExp(`^${FUNCTION_NAMES.map(() => 'function').join(',')} [1-9]\\d*$`),
    );
  });
});

describe('ops', () => {
  it('alarms on DLQ depth and on errors of each function, notifying the alarm topic', () => {
    // Prepare
    const dlqId = stack.getLogicalId(stack.yardstick.deadLetterQueue.node.defaultChild as CfnElement);
    const topicId = onlyResource(template, 'AWS::SNS::Topic').logicalId;
    // Act
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties ?? {},
    );
    // Assess
    const dlqAlarm = alarms.find((a) =>
      alarmMetrics(a).some(
        (m) => m.MetricName === 'ApproximateNumberOfMessagesVisible' && references(m.Dimensions, dlqId),
      ),
    );
    expect(dlqAlarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const errorAlarms = alarms.filter((a) =>
      alarmMetrics(a).some((m) => m.MetricName === 'Errors' && m.Namespace === 'AWS/Lambda'),
    );
    expect(errorAlarms.length).toBe(FUNCTION_NAMES.length);
    for (const role of FUNCTION_NAMES) {
      expect(
        errorAlarms.some((a) =>
          alarmMetrics(a).some((m) => references(m.Dimensions, functionLogicalId(role))),
        ),
      ).toBe(true);
    }
    for (const alarm of alarms) {
      expect(references(alarm.AlarmActions, topicId)).toBe(true);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });
});

describe('alarm topic', () => {
  it("lets this account's CloudWatch alarms publish, over TLS only", () => {
    // Act
    const policy = onlyResource(template, 'AWS::SNS::TopicPolicy').properties.PolicyDocument as {
      Statement: Record<string, unknown>[];
    };
    // Assess
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: expect.objectContaining({
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        }),
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('outputs', () => {
  it('export what producers and operators need', () => {
    // Act
    const outputs = Object.keys(template.findOutputs('*'));
    // Assess
    expect(outputs.sort()).toEqual(
      [
        'AggregateFunctionName',
        'AlarmTopicArn',
        'ApiUrl',
        'DeadLetterQueueUrl',
        'EventBusArn',
        'EventBusName',
        'TableName',
      ].sort(),
    );
  });
});

describe('cdk.json', () => {
  it('runs the app with tsx and keeps the CLI offline (no notices, no telemetry)', () => {
    // Act
    const config = JSON.parse(readFileSync('cdk.json', 'utf8'));
    // Assess
    expect(config).toMatchObject({ app: 'npx tsx infra/app.ts', notices: false, 'cli-telemetry': false });
  });
});

describe('detail types', () => {
  it('the synthesized rule routes every contract type and its near-misses, never aws.* sources', () => {
    // Prepare: guards against a pattern edit silently dropping events after PutEvents said yes.
    const rule = Object.values(resourcesOf(template, 'AWS::Events::Rule'))[0];
    const pattern = rule?.Properties?.EventPattern as EventPattern;
    const routed = (detailType: string, source = 'acme.bot') =>
      matchesEventPattern(pattern, { 'detail-type': detailType, source, detail: {} });
    // Act
    const nearMisses = ['ai.workflow.Usage', 'AI.WORKFLOW.OUTCOME', 'ai.workflow.cost'].map((t) => routed(t));
    // Assess
    expect(DETAIL_TYPES.map((t) => routed(t))).toEqual(DETAIL_TYPES.map(() => true));
    expect(nearMisses).toEqual([true, true, true]);
    expect(routed('ai.workflow.usage', 'aws.events')).toBe(false);
    expect(routed('Scheduled Event')).toBe(false);
  });
});
