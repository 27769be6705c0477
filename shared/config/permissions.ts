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

export const FunctionPermissions = {
  aggregate: {
    dynamodb: [
      // Dedupe markers (conditional Put), counters (Update) and their checks, all inside
      // TransactWriteItems; quarantine, conflicts and the distinct-users sketch are single Puts.
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      // The distinct-users sketch is merged under a version check: the stored sketch is read
      // (consistently) before the first merge and again after a lost race. Without it every batch
      // holding an event with a userId failed on AWS with AccessDeniedException (issue 9, finding 1).
      'dynamodb:GetItem',
      // The workflow registry reads the batch's unknown workflows in one call before admitting them
      // under the daily cap on new workflow ids (shared/store/dynamodb/dynamodb-workflow-registry.ts).
      'dynamodb:BatchGetItem',
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
