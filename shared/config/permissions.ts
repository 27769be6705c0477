import type { FunctionName } from './functions.ts';

/**
 * The AWS actions of each function: the one source the CDK grants are built from (`Store.grant`, the
 * digest construct) and local mode enforces (`infra/local/iam-enforcement.ts`), so a call the code
 * makes without a grant fails in every test instead of on AWS. A synth test asserts that each
 * function's role allows exactly these DynamoDB, SES and EventBridge actions.
 *
 * Authorisation rules to keep in mind (docs/functions.md, Permissions): `TransactWriteItems` is
 * authorised per item as PutItem / UpdateItem / DeleteItem / ConditionCheckItem; every other call
 * needs its own action (GetItem, BatchGetItem, Query, BatchWriteItem…). When code starts making
 * another call, add its action here, with the reason.
 */
export interface FunctionPermissionSet {
  /** On the metrics table. */
  readonly dynamodb: readonly DynamoDbAction[];
  /** On the digest sender's identity, From that sender only. */
  readonly ses: readonly SesAction[];
  /** On the Yardstick bus. */
  readonly events: readonly EventsAction[];
}

export type DynamoDbAction = `dynamodb:${string}`;
export type SesAction = `ses:${string}`;
export type EventsAction = `events:${string}`;
export type AwsAction = DynamoDbAction | SesAction | EventsAction;

/**
 * What reading a table's stream takes: Lambda's event source mapping calls these with the function's
 * role, and local mode's stream poller with the function's clients. Granted on the stream, not the table.
 */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
] as const satisfies readonly DynamoDbAction[];

export const FunctionPermissions = {
  aggregate: {
    dynamodb: [
      // New events are recorded with BatchWriteItem after one BatchGetItem looks up the batch's keys
      // (recorded-event-writer.ts); the registry reads the batch's unknown workflows with BatchGetItem too.
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      // Quarantine and conflicts are Puts (the quarantine's two inside a TransactWriteItems); the
      // registry admits under the daily cap with a TransactWriteItems of Updates and their checks.
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ],
    ses: [],
    events: [],
  },
  counters: {
    dynamodb: [
      // Counter items (Update with the applied-through condition), override trail items (Put).
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      // The distinct-users sketch is merged under a version check: the stored sketch is read
      // (consistently) before the first merge and again after a lost race. Without it every batch
      // holding an event with a userId failed on AWS with AccessDeniedException (issue 9, finding 1).
      'dynamodb:GetItem',
      // Reading the table's stream, as Lambda's event source mapping does with the function's role
      // (the stack grants these on the stream ARN; see STREAM_READ_ACTIONS).
      ...STREAM_READ_ACTIONS,
    ],
    ses: [],
    events: [],
  },
  api: {
    dynamodb: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
    ses: [],
    events: [],
  },
  digest: {
    // Reads the week's metrics and the archived digests; Puts the digest it builds into the archive.
    dynamodb: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    ses: ['ses:SendEmail'],
    events: [],
  },
  otlp: {
    dynamodb: [],
    ses: [],
    // Converted spans and evaluations go to the bus like any producer's events; it reads nothing.
    events: ['events:PutEvents'],
  },
} as const satisfies Record<FunctionName, FunctionPermissionSet>;

/** Every action a function is granted, across services. */
export const allowedActions = (permissions: FunctionPermissionSet): ReadonlySet<AwsAction> =>
  new Set<AwsAction>([...permissions.dynamodb, ...permissions.ses, ...permissions.events]);

/**
 * A copy of a function's permissions without some actions: for tests that prove a missing grant is
 * caught.
 *
 * @example
 * ```ts
 * const withoutRead = withoutActions(FunctionPermissions.aggregate, ['dynamodb:GetItem']);
 * ```
 */
export const withoutActions = (
  permissions: FunctionPermissionSet,
  removed: readonly AwsAction[],
): FunctionPermissionSet => ({
  dynamodb: permissions.dynamodb.filter((action) => !removed.includes(action)),
  ses: permissions.ses.filter((action) => !removed.includes(action)),
  events: permissions.events.filter((action) => !removed.includes(action)),
});
