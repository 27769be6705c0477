import type { AwsAction } from '../../shared/config/permissions.ts';
import { YardstickError } from '../../shared/errors.ts';

/** One authorisation AWS makes for a call: an action on a resource (a table, an identity, a bus). */
export interface RequiredAction {
  readonly action: AwsAction;
  /** The resource's name: a table name, an SES identity, an event bus name. */
  readonly resource: string;
  readonly service: ServiceName;
}

export const Services = {
  dynamodb: 'dynamodb',
  ses: 'ses',
  events: 'events',
} as const;
export type ServiceName = (typeof Services)[keyof typeof Services];

/** The SDK clients enforcement knows, by the `clientName` the SDK puts in the middleware context. */
export const ServiceOfClient: Readonly<Record<string, ServiceName>> = {
  DynamoDBClient: Services.dynamodb,
  DynamoDBStreamsClient: Services.dynamodb,
  SESv2Client: Services.ses,
  EventBridgeClient: Services.events,
};

/** The command has no mapping yet: enforcement refuses it rather than guess. */
export class UnmappedCommandError extends YardstickError {
  constructor(
    readonly clientName: string,
    readonly commandName: string,
  ) {
    super(`local IAM enforcement has no mapping for ${clientName} ${commandName}; add it to iam-actions.ts`);
  }
}

type Input = Record<string, unknown>;
type Rule = (input: Input) => RequiredAction[];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const records = (value: unknown): Input[] => (Array.isArray(value) ? (value as Input[]) : []);

const onTable =
  (operation: string): Rule =>
  (input) => [
    { action: `dynamodb:${operation}`, resource: text(input.TableName), service: Services.dynamodb },
  ];

// Batch calls name their tables as the keys of RequestItems; each table is authorised once.
const perRequestTable =
  (operation: string): Rule =>
  (input) =>
    Object.keys((input.RequestItems as Input | undefined) ?? {}).map((table) => ({
      action: `dynamodb:${operation}`,
      resource: table,
      service: Services.dynamodb,
    }));

// A transaction is authorised item by item, as the single-item action of each
// (docs/functions.md, Permissions).
const TRANSACT_ITEM_ACTIONS = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
} as const;

const perTransactItem: Rule = (input) =>
  records(input.TransactItems).flatMap((item) =>
    Object.entries(TRANSACT_ITEM_ACTIONS)
      .filter(([kind]) => item[kind] !== undefined)
      .map(([kind, operation]) => ({
        action: `dynamodb:${operation}` as const,
        resource: text((item[kind] as Input).TableName),
        service: Services.dynamodb,
      })),
  );

// Stream calls are authorised on the stream; its table is what a table-scoped grant names. Local
// shard iterators begin with the stream ARN, so GetRecords names its table too.
const onStream =
  (operation: string): Rule =>
  (input) => [
    {
      action: `dynamodb:${operation}`,
      resource:
        /:table\/([^/]+)\/stream\//.exec(text(input.StreamArn) || text(input.ShardIterator))?.[1] ?? '*',
      service: Services.dynamodb,
    },
  ];

// SES authorises the identity of the From address; the address is the narrowest name we know.
const sendEmail: Rule = (input) => [
  { action: 'ses:SendEmail', resource: text(input.FromEmailAddress), service: Services.ses },
];

// Entries without a bus name go to the account's default bus.
const putEvents: Rule = (input) =>
  [...new Set(records(input.Entries).map((entry) => text(entry.EventBusName) || 'default'))].map((bus) => ({
    action: 'events:PutEvents',
    resource: bus,
    service: Services.events,
  }));

/** Command → the authorisations AWS makes for it. A command missing here is refused. */
export const CommandActions: Readonly<Record<ServiceName, Readonly<Record<string, Rule>>>> = {
  dynamodb: {
    GetItemCommand: onTable('GetItem'),
    PutItemCommand: onTable('PutItem'),
    UpdateItemCommand: onTable('UpdateItem'),
    DeleteItemCommand: onTable('DeleteItem'),
    QueryCommand: onTable('Query'),
    ScanCommand: onTable('Scan'),
    DescribeTableCommand: onTable('DescribeTable'),
    BatchGetItemCommand: perRequestTable('BatchGetItem'),
    BatchWriteItemCommand: perRequestTable('BatchWriteItem'),
    TransactWriteItemsCommand: perTransactItem,
    TransactGetItemsCommand: perTransactItem,
    DescribeStreamCommand: onStream('DescribeStream'),
    GetShardIteratorCommand: onStream('GetShardIterator'),
    GetRecordsCommand: onStream('GetRecords'),
    ListStreamsCommand: (input) => [
      { action: 'dynamodb:ListStreams', resource: text(input.TableName) || '*', service: Services.dynamodb },
    ],
  },
  ses: { SendEmailCommand: sendEmail },
  events: { PutEventsCommand: putEvents },
};

/**
 * The IAM authorisations AWS makes for one SDK command, from the client and command names the SDK
 * puts in the middleware context. Throws {@link UnmappedCommandError} for a command not mapped.
 *
 * @example
 * ```ts
 * requiredActions('DynamoDBClient', 'TransactWriteItemsCommand', { TransactItems: [{ Put: { TableName: 't' } }] });
 * // [{ action: 'dynamodb:PutItem', resource: 't', service: 'dynamodb' }]
 * ```
 */
export const requiredActions = (
  clientName: string,
  commandName: string,
  input: unknown,
): RequiredAction[] => {
  const service = ServiceOfClient[clientName];
  const rule = service ? CommandActions[service][commandName] : undefined;
  if (!rule) throw new UnmappedCommandError(clientName, commandName);
  return rule((input ?? {}) as Input);
};
