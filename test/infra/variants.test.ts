import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppContext, stackPropsFromContext, YardstickStack } from '../../infra/app.ts';
import { AGGREGATE_TIMEOUT, visibilityTimeoutFor } from '../../infra/constructs/ingestion.ts';
import { addComplianceChecks } from '../../infra/nag.ts';
import { Yardstick, type YardstickProps } from '../../infra/yardstick.ts';
import { CatalogError } from '../../shared/catalog/load.ts';
import {
  environmentOf,
  iamStatements,
  NO_BUNDLING,
  onlyResource,
  resourcesOf,
  synthWithReport,
  tempOutdir,
  unacknowledgedFindings,
} from './synth.ts';

// These variants are about configuration, so asset bundling is skipped to keep them fast.
const build = (props: YardstickProps = {}) => {
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  const stack = new Stack(app, 'Variant');
  const yardstick = new Yardstick(stack, 'Yardstick', props);
  return { app, stack, yardstick, template: () => Template.fromStack(stack) };
};

const originalCwd = process.cwd();
afterEach(() => process.chdir(originalCwd));

describe('removal policy', () => {
  let defaultTemplate: Template;

  beforeAll(() => {
    // Prepare + Act: the first synth in a worker also loads aws-cdk-lib's modules, which takes longer
    // than a test may on a loaded machine; a hook may take 2 minutes.
    defaultTemplate = build().template();
  }, 120_000);

  it('keeps the table and turns on deletion protection by default', () => {
    // Act
    const table = onlyResource(defaultTemplate, 'AWS::DynamoDB::Table');
    // Assess
    expect(table.resource.DeletionPolicy).toBe('Retain');
    expect(table.properties.DeletionProtectionEnabled).toBe(true);
    // The file's first synth is cold (CDK's module graph), over 30 s on a loaded machine.
  }, 90_000);

  it('deletes table and logs, without deletion protection, when asked to destroy', () => {
    // Act
    const template = build({ removalPolicy: RemovalPolicy.DESTROY }).template();
    // Assess
    const table = onlyResource(template, 'AWS::DynamoDB::Table');
    expect(table.resource.DeletionPolicy).toBe('Delete');
    expect(table.properties.DeletionProtectionEnabled).toBe(false);
    for (const group of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('catalog', () => {
  it('fails synth on a broken catalog, naming the file, the path and the field', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'yardstick-catalog-'));
    const file = join(dir, 'catalog.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, workflows: [{ id: 'wf-1', name: 'W', ownerTeam: 'T', stage: 'beta' }] }),
    );
    // Act
    const act = () => build({ catalogFile: file });
    // Assess
    expect(act).toThrow(CatalogError);
    const message = (() => {
      try {
        act();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message.startsWith(`${file}: workflows[0]`)).toBe(true);
    expect(message).toMatch(/\.stage: .*pilot.*production/);
  });

  it('fails synth when an explicitly named catalog does not exist', () => {
    // Act
    const act = () => build({ catalogFile: 'no-such-catalog.json' });
    // Assess
    expect(act).toThrow(/no-such-catalog\.json: cannot read: ENOENT/);
  });

  it('deploys without a catalog and without the digest when there is neither a catalog nor a sender', () => {
    // Prepare: a working directory with no catalog.json.
    process.chdir(mkdtempSync(join(tmpdir(), 'yardstick-empty-')));
    // Act
    const { yardstick, stack, template } = build();
    // Assess
    expect(yardstick.catalog).toBeUndefined();
    expect(yardstick.digest).toBeUndefined();
    const t = template();
    expect(resourcesOf(t, 'AWS::Scheduler::Schedule')).toEqual({});
    for (const fn of Object.values(resourcesOf(t, 'AWS::Lambda::Function'))) {
      expect(environmentOf(fn).YARDSTICK_CATALOG_FILE).toBeUndefined();
    }
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('weekly digest is not deployed'));
  });
});

describe('digest', () => {
  it('takes the sender from the catalog when none is given', () => {
    // Act (the repository's catalog.json names a sender)
    const { yardstick, template } = build();
    // Assess
    const sender = yardstick.catalog?.catalog.digest.sender;
    expect(sender).toBeDefined();
    const digestFn = Object.values(resourcesOf(template(), 'AWS::Lambda::Function')).find(
      (fn) => environmentOf(fn).DIGEST_SENDER !== undefined,
    );
    expect(environmentOf(digestFn).DIGEST_SENDER).toBe(sender);
  });

  it('can be switched off', () => {
    // Act
    const { yardstick, stack, template } = build({ digest: { enabled: false } });
    // Assess
    expect(yardstick.digest).toBeUndefined();
    expect(resourcesOf(template(), 'AWS::Scheduler::Schedule')).toEqual({});
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('scopes SES to a named identity when one is given', () => {
    // Act
    const template = build({
      digest: { sender: 'digest@mail.example.com', senderIdentity: 'mail.example.com' },
    }).template();
    // Assess
    const ses = iamStatements(template).find((statement) => statement.actions.includes('ses:SendEmail'));
    const resources = JSON.stringify(ses?.resources);
    expect(resources).toContain(':identity/mail.example.com');
    expect(resources).not.toContain(':identity/digest@');
  });
});

describe('event bus', () => {
  it('lets only the deploying account put events by default', () => {
    // Act
    const bus = onlyResource(build().template(), 'AWS::Events::EventBus').properties;
    // Assess
    const statements = (bus.Policy as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements.length).toBe(1);
    expect(statements[0]).toMatchObject({ Sid: 'yardstick-producer-accounts', Action: 'events:PutEvents' });
    expect(JSON.stringify(statements[0]?.Principal)).toMatch(/"AWS::AccountId"\},":root"/);
  });

  it("leaves an imported bus's policy to its owner unless producers are given", () => {
    // Prepare
    const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
    const stack = new Stack(app, 'Imported');
    const bus = events.EventBus.fromEventBusName(stack, 'Bus', 'central');
    // Act
    new Yardstick(stack, 'Yardstick', { eventBus: bus, digest: { enabled: false } });
    // Assess
    const template = Template.fromStack(stack);
    expect(resourcesOf(template, 'AWS::Events::EventBus')).toEqual({});
    expect(resourcesOf(template, 'AWS::Events::EventBusPolicy')).toEqual({});
    template.hasResourceProperties('AWS::Events::Rule', { EventBusName: 'central' });
  });

  it('uses a custom bus name for the bus, its policy and its archive', () => {
    // Act
    const template = build({ eventBusName: 'yardstick-staging' }).template();
    // Assess
    const bus = onlyResource(template, 'AWS::Events::EventBus').properties;
    expect(bus.Name).toBe('yardstick-staging');
    expect(JSON.stringify(bus.Policy)).toContain(':event-bus/yardstick-staging');
  });
});

describe('ingestion batching', () => {
  it('derives the visibility timeout from the function timeout and the batching window', () => {
    // Act
    const template = build({
      ingestion: { batchSize: 500, maxBatchingWindow: Duration.seconds(20) },
    }).template();
    // Assess
    const expected = visibilityTimeoutFor(AGGREGATE_TIMEOUT, Duration.seconds(20)).toSeconds();
    expect(expected).toBeGreaterThanOrEqual(6 * AGGREGATE_TIMEOUT.toSeconds());
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: expected });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 20,
    });
  });
});

describe('retention', () => {
  it('refuses a lateness window longer than the dedupe markers live', () => {
    // Act
    const act = () => build({ retention: { latenessDays: 60 } });
    // Assess
    expect(act).toThrow(/latenessDays must be an integer from 1 to 35/);
  });

  it('passes a shorter lateness window to the aggregate function and the archive', () => {
    // Act
    const template = build({ retention: { latenessDays: 14 } }).template();
    // Assess
    const aggregate = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
      (fn) => environmentOf(fn).LATENESS_DAYS !== undefined,
    );
    expect(environmentOf(aggregate).LATENESS_DAYS).toBe('14');
    expect(onlyResource(template, 'AWS::Events::Archive').properties.RetentionDays).toBe(14);
  });
});

describe('app context', () => {
  it('reads the removal policy, bus name and organisation from -c values', () => {
    // Prepare
    const app = new App({
      outdir: tempOutdir(),
      context: {
        ...NO_BUNDLING,
        [AppContext.removalPolicy]: 'destroy',
        [AppContext.eventBusName]: 'yardstick-dev',
        [AppContext.organizationId]: 'o-exampleorg1',
      },
    });
    // Act
    const stack = new YardstickStack(app, 'YardstickDev', stackPropsFromContext(app));
    const template = Template.fromStack(stack);
    // Assess
    expect(onlyResource(template, 'AWS::DynamoDB::Table').resource.DeletionPolicy).toBe('Delete');
    const bus = onlyResource(template, 'AWS::Events::EventBus').properties;
    expect(bus.Name).toBe('yardstick-dev');
    expect(JSON.stringify(bus.Policy)).toContain('o-exampleorg1');
  });

  it('reads each producer account’s allowed sources from -c values, and refuses a malformed entry', () => {
    // Prepare
    const context = (value: string) =>
      new App({ outdir: tempOutdir(), context: { ...NO_BUNDLING, [AppContext.producerSources]: value } });

    // Act
    const props = stackPropsFromContext(context('111111111111=acme.bot|acme.other, 222222222222=acme.x'));
    const act = () => stackPropsFromContext(context('acme.bot'));

    // Assess
    expect(props.yardstick?.producers?.sourcesByAccount).toEqual({
      '111111111111': ['acme.bot', 'acme.other'],
      '222222222222': ['acme.x'],
    });
    expect(act).toThrow(/yardstick:producerSources must look like/);
  });

  it('rejects a removal policy it does not know', () => {
    // Prepare
    const app = new App({
      outdir: tempOutdir(),
      context: { ...NO_BUNDLING, [AppContext.removalPolicy]: 'keep' },
    });
    // Act
    const act = () => stackPropsFromContext(app);
    // Assess
    expect(act).toThrow(/yardstick:removalPolicy must be "retain" or "destroy"/);
  });
});

describe('compliance checks', () => {
  it('catch a non-compliant resource, so a clean report means the checks ran', () => {
    // Prepare
    const app = new App({ outdir: tempOutdir() });
    addComplianceChecks(app);
    const stack = new Stack(app, 'Control');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    // Act
    let findings: string[] = [];
    try {
      findings = unacknowledgedFindings(synthWithReport(app));
    } catch (error) {
      findings = [String(error)];
    }
    // Assess
    const text = findings.join('\n');
    expect(text).toContain('AwsSolutions-SQS4');
    expect(text).toMatch(/CT\.SQS\.PR\.2|sqs_queue_encrypted_check/);
  });
});

describe('event bus sources', () => {
  it('restricts each listed producer account to its own Source values with an events:source condition', () => {
    // Act
    const bus = onlyResource(
      build({
        producers: {
          accounts: ['111111111111'],
          sourcesByAccount: { '222222222222': ['acme.invoice-bot', 'acme.support-bot'] },
        },
      }).template(),
      'AWS::Events::EventBus',
    ).properties;

    // Assess
    const statements = (bus.Policy as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toHaveLength(2);
    const restricted = statements.find((s) => s.Sid === 'yardstick-producer-222222222222');
    expect(restricted).toMatchObject({
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'events:source': ['acme.invoice-bot', 'acme.support-bot'] } },
    });
    expect(JSON.stringify(restricted?.Principal)).toContain('222222222222');
    const open = statements.find((s) => s.Sid === 'yardstick-producer-accounts');
    expect(JSON.stringify(open?.Principal)).toContain('111111111111');
    expect(JSON.stringify(open?.Principal)).not.toContain('222222222222');
  });
});

describe('the cap on new workflow ids', () => {
  it('passes maxNewWorkflowsPerDay to the aggregate function, and leaves the default unset otherwise', () => {
    // Act
    const aggregateEnv = (props: Partial<YardstickProps>) =>
      environmentOf(
        Object.values(resourcesOf(build(props).template(), 'AWS::Lambda::Function')).find(
          (fn) => environmentOf(fn).LATENESS_DAYS !== undefined,
        ),
      );

    // Assess
    expect(aggregateEnv({ maxNewWorkflowsPerDay: 500 }).MAX_NEW_WORKFLOWS_PER_DAY).toBe('500');
    expect(aggregateEnv({}).MAX_NEW_WORKFLOWS_PER_DAY).toBeUndefined();
  });
});
