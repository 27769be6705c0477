import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { INGESTION_RULES } from '../../events/patterns.ts';
import { buildExistingApp, type PlatformStack } from '../../infra/examples/existing-app.ts';
import { addComplianceChecks } from '../../infra/nag.ts';
import {
  acknowledgements,
  iamStatements,
  NO_BUNDLING,
  onlyResource,
  references,
  resourcesOf,
  synthWithReport,
  tempOutdir,
  unacknowledgedFindings,
  type ValidationReport,
} from './synth.ts';

let stack: PlatformStack;
let template: Template;
let report: ValidationReport;

beforeAll(() => {
  // Prepare: the documented example, with the same compliance checks as the standalone app (the
  // bundles themselves are covered by the stack tests).
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  addComplianceChecks(app);
  stack = buildExistingApp(app).stack;
  // Act
  report = synthWithReport(app);
  template = Template.fromStack(stack);
  // A cold synth with every compliance check of four functions' stack: minutes on a loaded machine.
}, 240_000);

describe('the construct inside an existing app', () => {
  it('synthesizes the documented example with no unacknowledged finding', () => {
    // Assess
    expect(unacknowledgedFindings(report)).toEqual([]);
  });

  it('needs no log-encryption exception once a customer-managed key is given', () => {
    // Act
    const ids = acknowledgements(stack).map((ack) => ack.id);
    // Assess
    expect(ids).not.toContain('cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check');
    for (const group of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties?.KmsKeyId).toBeDefined();
    }
  });

  it('attaches rules, archive and producer policy to the imported bus instead of creating one', () => {
    // Act
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule'));
    const policy = onlyResource(template, 'AWS::Events::EventBusPolicy').properties;
    // Assess
    expect(resourcesOf(template, 'AWS::Events::EventBus')).toEqual({});
    expect(rules.length).toBe(Object.keys(INGESTION_RULES).length);
    for (const rule of rules) expect(rule.Properties?.EventBusName).toBe('platform-events');
    expect(policy).toMatchObject({
      EventBusName: 'platform-events',
      Statement: {
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
      },
    });
    expect(JSON.stringify(onlyResource(template, 'AWS::Events::Archive').properties.SourceArn)).toContain(
      ':event-bus/platform-events',
    );
  });

  it('encrypts the table, both queues, the schedule and the archive with the given key', () => {
    // Prepare
    const keyId = onlyResource(template, 'AWS::KMS::Key').logicalId;
    // Act
    const table = onlyResource(template, 'AWS::DynamoDB::Table').properties;
    const queues = Object.values(resourcesOf(template, 'AWS::SQS::Queue'));
    // Assess
    expect(table.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(references(table.SSESpecification, keyId)).toBe(true);
    expect(queues.length).toBe(2);
    for (const queue of queues) expect(references(queue.Properties?.KmsMasterKeyId, keyId)).toBe(true);
    expect(references(onlyResource(template, 'AWS::Scheduler::Schedule').properties.KmsKeyArn, keyId)).toBe(
      true,
    );
    expect(
      references(onlyResource(template, 'AWS::Events::Archive').properties.KmsKeyIdentifier, keyId),
    ).toBe(true);
  });

  it('lets EventBridge, CloudWatch Logs and CloudWatch alarms use the key, each by key policy', () => {
    // Act
    const statements = (
      onlyResource(template, 'AWS::KMS::Key').properties.KeyPolicy as { Statement: { Sid?: string }[] }
    ).Statement.map((statement) => statement.Sid);
    // Assess
    expect(statements).toEqual(
      expect.arrayContaining([
        'yardstick-eventbridge-use',
        'yardstick-logs-use',
        'yardstick-cloudwatch-alarms-use',
      ]),
    );
  });

  it('still grants no wildcard action, with the key in play', () => {
    // Act
    const actions = iamStatements(template).flatMap((s) => s.actions);
    // Assess
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('uses the team schedule, time zone and ops topic', () => {
    // Prepare
    const topicId = onlyResource(template, 'AWS::SNS::Topic').logicalId;
    // Act
    const schedule = onlyResource(template, 'AWS::Scheduler::Schedule').properties;
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    // Assess
    expect(schedule.ScheduleExpression).toBe('cron(0 16 ? * FRI *)');
    expect(schedule.ScheduleExpressionTimezone).toBe('Europe/Berlin');
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(references(alarm.Properties?.AlarmActions, topicId)).toBe(true);
    expect(JSON.stringify(onlyResource(template, 'AWS::SNS::TopicPolicy').properties)).toContain(
      'yardstick-cloudwatch-alarms-publish',
    );
  });
});
