import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { YardstickFunction } from '../../infra/constructs/function.ts';
import { Yardstick, type YardstickProps } from '../../infra/yardstick.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import { allowedActions, FunctionPermissions } from '../../shared/config/permissions.ts';
import { NO_BUNDLING, resourcesOf, tempOutdir } from './synth.ts';

/** The services whose actions the one permission source owns (and local mode enforces). */
const OWNED = /^(dynamodb|ses|events):/;

const build = (props: YardstickProps) => {
  const app = new App({ outdir: tempOutdir(), context: NO_BUNDLING });
  const stack = new Stack(app, 'Permissions');
  const yardstick = new Yardstick(stack, 'Yardstick', props);
  const functions: Partial<Record<FunctionName, YardstickFunction>> = {
    aggregate: yardstick.ingestion.aggregate,
    api: yardstick.api.handler,
    otlp: yardstick.otlp.handler,
    ...(yardstick.digest ? { digest: yardstick.digest.handler } : {}),
  };
  return { stack, functions, template: Template.fromStack(stack) };
};

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

describe('function roles', () => {
  it.each([
    ['the full stack', { digest: { sender: 'digest@example.com' } }],
    ['a stack without the digest', { digest: { enabled: false } }],
  ] as const)(
    'in %s allow exactly the DynamoDB, SES and EventBridge actions of the permission source',
    (_name, props) => {
      // Prepare
      const { stack, functions, template } = build(props);
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
    const { stack, functions, template } = build({ digest: { sender: 'digest@example.com' } });
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
});
