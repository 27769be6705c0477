import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { YardstickFunction } from '../../infra/constructs/function.ts';
import { Yardstick, type YardstickProps } from '../../infra/yardstick.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import { allowedActions, FunctionPermissions, STREAM_READ_ACTIONS } from '../../shared/config/permissions.ts';
import { NO_BUNDLING, resourcesOf, tempOutdir } from './synth.ts';

/** The services whose actions the one permission source owns (and local mode enforces). */
const OWNED = /^(dynamodb|ses|events):/;

const build = (props: YardstickProps) => {
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  const stack = new Stack(app, 'Permissions');
  const yardstick = new Yardstick(stack, 'Yardstick', props);
  const functions: Partial<Record<FunctionName, YardstickFunction>> = {
    aggregate: yardstick.ingestion.aggregate,
    counters: yardstick.counting.counters,
    api: yardstick.api.handler,
    otlp: yardstick.otlp.handler,
    ...(yardstick.digest ? { digest: yardstick.digest.handler } : {}),
  };
  return { stack, yardstick, functions, template: Template.fromStack(stack) };
};

interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every Allow statement of every policy attached to a role. */
const statementsOf = (template: Template, roleLogicalId: string): PolicyStatement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles ?? []).includes(`"${roleLogicalId}"`))
    .flatMap(
      (policy) =>
        (policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] } | undefined)?.Statement ?? [],
    )
    .filter((statement) => statement.Effect === 'Allow');

/** The DynamoDB actions a role may call on exactly one resource (an ARN token), sorted. */
const dynamoDbActionsOn = (statements: readonly PolicyStatement[], resource: unknown): string[] =>
  sorted(
    statements
      .filter((statement) => {
        const resources = ([] as unknown[]).concat(statement.Resource);
        return resources.length === 1 && JSON.stringify(resources[0]) === JSON.stringify(resource);
      })
      .flatMap((statement) => ([] as string[]).concat(statement.Action))
      .filter((action) => action.startsWith('dynamodb:')),
  );

/** Every action the template allows a role, from every policy attached to it. */
const actionsAllowedTo = (template: Template, roleLogicalId: string): string[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles ?? []).includes(`"${roleLogicalId}"`))
    .flatMap(
      (policy) =>
        (
          policy.Properties?.PolicyDocument as
            | { Statement: { Effect: string; Action: string | string[] }[] }
            | undefined
        )?.Statement ?? [],
    )
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => ([] as string[]).concat(statement.Action));

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

const FULL: YardstickProps = { digest: { sender: 'digest@example.com' } };

describe('function roles', () => {
  let full: ReturnType<typeof build>;

  beforeAll(() => {
    // Prepare: the first synth in a worker also loads aws-cdk-lib's modules, which can take longer than
    // a test may on a loaded machine; a hook may take 2 minutes.
    full = build(FULL);
  }, 120_000);

  it.each([
    ['the full stack', () => full],
    ['a stack without the digest', () => build({ digest: { enabled: false } })],
  ] as const)(
    'in %s allow exactly the DynamoDB, SES and EventBridge actions of the permission source',
    (_name, built) => {
      // Prepare
      const { stack, functions, template } = built();
      // Act
      const granted = Object.entries(functions).map(([name, fn]) => {
        const roleId = stack.getLogicalId(fn.role.node.defaultChild as CfnResource);
        return [name, sorted(actionsAllowedTo(template, roleId).filter((action) => OWNED.test(action)))];
      });
      // Assess
      const expected = Object.keys(functions).map((name) => [
        name,
        sorted(allowedActions(FunctionPermissions[name as FunctionName])),
      ]);
      expect(Object.fromEntries(granted)).toEqual(Object.fromEntries(expected));
    },
    // The first synth of the file is cold (CDK's module graph, cdk-nag), over 30 s on a loaded machine.
    90_000,
  );

  it('are the only roles of the stack that any function runs with', () => {
    // Prepare
    const { stack, functions, template } = full;
    const known = Object.values(functions).map((fn) =>
      stack.getLogicalId(fn.role.node.defaultChild as CfnResource),
    );
    // Act
    const used = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).map(
      (fn) => (fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0],
    );
    // Assess
    expect(sorted(used.map(String))).toEqual(sorted(known));
  });

  it('give the counters function its table actions on the table and the stream actions on the stream only', () => {
    // Prepare
    const { stack, yardstick, template } = full;
    const tableId = stack.getLogicalId(yardstick.table.node.defaultChild as CfnResource);
    const roleId = stack.getLogicalId(yardstick.counting.counters.role.node.defaultChild as CfnResource);
    const stream: readonly string[] = STREAM_READ_ACTIONS;
    // Act
    const statements = statementsOf(template, roleId);
    const onTable = dynamoDbActionsOn(statements, { 'Fn::GetAtt': [tableId, 'Arn'] });
    const onStream = dynamoDbActionsOn(statements, { 'Fn::GetAtt': [tableId, 'StreamArn'] });
    const everywhere = sorted(
      statements
        .flatMap((statement) => ([] as string[]).concat(statement.Action))
        .filter((action) => action.startsWith('dynamodb:')),
    );
    // Assess: the two sets split the source between them, and nothing else anywhere.
    expect(onTable).toEqual(sorted(FunctionPermissions.counters.dynamodb.filter((a) => !stream.includes(a))));
    expect(onStream).toEqual(sorted(STREAM_READ_ACTIONS));
    expect(everywhere).toEqual(sorted([...onTable, ...onStream]));
  });

  it('never allow a stream action on the table itself', () => {
    // Prepare
    const { stack, yardstick, functions, template } = full;
    const tableArn = {
      'Fn::GetAtt': [stack.getLogicalId(yardstick.table.node.defaultChild as CfnResource), 'Arn'],
    };
    // Act
    const onTable = Object.values(functions).flatMap((fn) =>
      dynamoDbActionsOn(
        statementsOf(template, stack.getLogicalId(fn.role.node.defaultChild as CfnResource)),
        tableArn,
      ),
    );
    // Assess
    expect(onTable.length).toBeGreaterThan(0);
    expect(onTable.filter((action) => (STREAM_READ_ACTIONS as readonly string[]).includes(action))).toEqual(
      [],
    );
  });
});
