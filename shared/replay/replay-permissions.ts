import { type DynamoDbAction, FunctionPermissions } from '../config/permissions.ts';

/**
 * What the person (or role) running `yardstick replay --aws` needs on the metrics table and its
 * stream. The rebuild reads partitions (`Query`), overwrites and removes counter and sketch items
 * (`PutItem`, `DeleteItem`, conditional), rewrites changed recorded events in transactions (authorised
 * per item as `UpdateItem`) and checks shared rollups (`GetItem`); `DescribeTable` finds the stream.
 * Catching counting up runs the counters function's code, so its actions are included. The
 * integration test runs the replay with exactly these, as local mode enforces them.
 */
export const REPLAY_DYNAMODB_ACTIONS = [
  ...new Set<DynamoDbAction>([
    'dynamodb:DeleteItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    ...FunctionPermissions.counters.dynamodb,
  ]),
] as const;

/** On the aggregate function: pausing its SQS mapping and waiting out its timeout. */
export const REPLAY_LAMBDA_ACTIONS = [
  'lambda:GetEventSourceMapping',
  'lambda:GetFunctionConfiguration',
  'lambda:ListEventSourceMappings',
  'lambda:UpdateEventSourceMapping',
] as const;
