import { describe, expect, it } from 'vitest';
import { requiredActions, UnmappedCommandError } from '../../infra/local/iam-actions.ts';
import { AccessDeniedException, decide } from '../../infra/local/iam-enforcement.ts';
import { FunctionPermissions, withoutActions } from '../../shared/config/permissions.ts';

const T = 'yardstick';
const actionsOf = (clientName: string, commandName: string, input: unknown) =>
  requiredActions(clientName, commandName, input).map((r) => `${r.action} ${r.resource}`);

describe('requiredActions', () => {
  it.each([
    ['DynamoDBClient', 'GetItemCommand', { TableName: T }, [`dynamodb:GetItem ${T}`]],
    ['DynamoDBClient', 'PutItemCommand', { TableName: T }, [`dynamodb:PutItem ${T}`]],
    ['DynamoDBClient', 'UpdateItemCommand', { TableName: T }, [`dynamodb:UpdateItem ${T}`]],
    ['DynamoDBClient', 'DeleteItemCommand', { TableName: T }, [`dynamodb:DeleteItem ${T}`]],
    ['DynamoDBClient', 'QueryCommand', { TableName: T }, [`dynamodb:Query ${T}`]],
    ['DynamoDBClient', 'ScanCommand', { TableName: T }, [`dynamodb:Scan ${T}`]],
    ['DynamoDBClient', 'DescribeTableCommand', { TableName: T }, [`dynamodb:DescribeTable ${T}`]],
    [
      'DynamoDBClient',
      'BatchGetItemCommand',
      { RequestItems: { [T]: { Keys: [] }, other: { Keys: [] } } },
      [`dynamodb:BatchGetItem ${T}`, 'dynamodb:BatchGetItem other'],
    ],
    [
      'DynamoDBClient',
      'BatchWriteItemCommand',
      { RequestItems: { [T]: [{ PutRequest: {} }, { DeleteRequest: {} }] } },
      [`dynamodb:BatchWriteItem ${T}`],
    ],
    [
      'DynamoDBClient',
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Put: { TableName: T } },
          { Update: { TableName: T } },
          { ConditionCheck: { TableName: T } },
          { Delete: { TableName: 'other' } },
          { Put: { TableName: T } },
        ],
      },
      [
        `dynamodb:PutItem ${T}`,
        `dynamodb:UpdateItem ${T}`,
        `dynamodb:ConditionCheckItem ${T}`,
        'dynamodb:DeleteItem other',
        `dynamodb:PutItem ${T}`,
      ],
    ],
    [
      'DynamoDBClient',
      'TransactGetItemsCommand',
      { TransactItems: [{ Get: { TableName: T } }] },
      [`dynamodb:GetItem ${T}`],
    ],
    [
      'SESv2Client',
      'SendEmailCommand',
      { FromEmailAddress: 'd@example.com' },
      ['ses:SendEmail d@example.com'],
    ],
    [
      'EventBridgeClient',
      'PutEventsCommand',
      { Entries: [{ EventBusName: 'yardstick' }, {}, { EventBusName: 'yardstick' }] },
      ['events:PutEvents yardstick', 'events:PutEvents default'],
    ],
  ])('%s %s is authorised as the actions AWS checks', (clientName, commandName, input, expected) => {
    // Act
    const actions = actionsOf(clientName, commandName, input);
    // Assess
    expect(actions).toEqual(expected);
  });

  it.each([
    ['DynamoDBClient', 'ListTablesCommand'],
    ['DynamoDBClient', 'ExecuteStatementCommand'],
    ['SQSClient', 'SendMessageCommand'],
  ])('has no answer for %s %s, so it can never slip through', (clientName, commandName) => {
    // Act / Assess
    expect(() => requiredActions(clientName, commandName, {})).toThrow(UnmappedCommandError);
  });
});

describe('decide', () => {
  const aggregate = {
    functionName: 'aggregate',
    permissions: FunctionPermissions.aggregate,
    tableName: T,
  } as const;

  it('allows a transaction only when every item is allowed', () => {
    // Prepare
    const markerAndCounters = { TransactItems: [{ Put: { TableName: T } }, { Update: { TableName: T } }] };
    const withDelete = { TransactItems: [...markerAndCounters.TransactItems, { Delete: { TableName: T } }] };
    // Act
    const allowed = decide(aggregate, 'DynamoDBClient', 'TransactWriteItemsCommand', markerAndCounters);
    const refused = decide(aggregate, 'DynamoDBClient', 'TransactWriteItemsCommand', withDelete);
    // Assess
    expect(allowed).toBeUndefined();
    expect(refused?.action).toBe('dynamodb:DeleteItem');
  });

  it('refuses as AWS does: name, __type, client fault, HTTP 400 and the message naming role, action and table', () => {
    // Prepare
    const policy = {
      ...aggregate,
      permissions: withoutActions(FunctionPermissions.aggregate, ['dynamodb:GetItem']),
    };
    // Act
    const refusal = decide(policy, 'DynamoDBClient', 'GetItemCommand', { TableName: T });
    // Assess
    expect(refusal).toBeInstanceOf(AccessDeniedException);
    expect(refusal).toMatchObject({
      name: 'AccessDeniedException',
      __type: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(refusal?.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/yardstick-aggregate-role/yardstick-aggregate is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/yardstick because no identity-based policy allows the dynamodb:GetItem action',
    );
  });

  it('refuses an allowed action on another table, as the table-scoped grant does', () => {
    // Act
    const refusal = decide(aggregate, 'DynamoDBClient', 'PutItemCommand', { TableName: 'someone-elses' });
    // Assess
    expect(refusal?.resourceArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/someone-elses');
  });

  it('refuses an unmapped command even when its action is granted', () => {
    // Prepare
    const policy = {
      ...aggregate,
      permissions: { ...aggregate.permissions, dynamodb: ['dynamodb:ListTables'] as const },
    };
    // Act
    const refusal = decide(policy, 'DynamoDBClient', 'ListTablesCommand', {});
    // Assess
    expect(refusal?.action).toBe('dynamodb:ListTables');
    expect(refusal?.unmappedCommand).toBe('ListTablesCommand');
  });

  it('lets only the digest send e-mail', () => {
    // Prepare
    const input = { FromEmailAddress: 'digest@example.com' };
    // Act
    const byDigest = decide(
      { functionName: 'digest', permissions: FunctionPermissions.digest },
      'SESv2Client',
      'SendEmailCommand',
      input,
    );
    const byApi = decide(
      { functionName: 'api', permissions: FunctionPermissions.api },
      'SESv2Client',
      'SendEmailCommand',
      input,
    );
    // Assess
    expect(byDigest).toBeUndefined();
    expect(byApi?.message).toContain(
      'is not authorized to perform: ses:SendEmail on resource: arn:aws:ses:us-east-1:000000000000:identity/digest@example.com',
    );
  });
});
