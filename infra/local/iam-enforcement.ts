import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { FunctionName } from '../../shared/config/functions.ts';
import {
  type AwsAction,
  allowedActions,
  type FunctionPermissionSet,
  FunctionPermissions,
} from '../../shared/config/permissions.ts';
import { localDynamoDbClient } from './dynamodb-local.ts';
import {
  type RequiredAction,
  requiredActions,
  ServiceOfClient,
  UnmappedCommandError,
} from './iam-actions.ts';

/** The account id local mode pretends to be (AWS's documentation placeholder). */
export const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_REGION = 'us-east-1';

/**
 * What AWS throws when a role lacks an action, with the same name, `__type`, fault, HTTP status and
 * message, so code under test meets exactly what it would meet on AWS.
 */
export class AccessDeniedException extends Error {
  readonly __type = 'AccessDeniedException';
  readonly $fault = 'client' as const;
  readonly $metadata = { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 } as const;

  constructor(
    readonly action: string,
    readonly resourceArn: string,
    readonly principalArn: string,
    /** Set when the command is refused because enforcement has no mapping for it. */
    readonly unmappedCommand?: string,
  ) {
    super(
      `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action` +
        (unmappedCommand
          ? ` (local IAM enforcement: ${unmappedCommand} is not mapped in infra/local/iam-actions.ts)`
          : ''),
    );
    this.name = 'AccessDeniedException';
  }
}

export interface EnforcementPolicy {
  readonly functionName: FunctionName;
  readonly permissions: FunctionPermissionSet;
  /** When set, DynamoDB actions on any other table are refused, as the role's table-scoped grant would. */
  readonly tableName?: string;
  readonly region?: string;
  /** Called with every refusal before it is thrown (local mode logs them, tests collect them). */
  readonly onDenied?: (error: AccessDeniedException) => void;
}

const arnOf = (required: Pick<RequiredAction, 'service' | 'resource'>, region: string): string => {
  const kind = { dynamodb: 'table', ses: 'identity', events: 'event-bus' }[required.service];
  return `arn:aws:${required.service}:${region}:${LOCAL_ACCOUNT_ID}:${kind}/${required.resource}`;
};

/**
 * Decides one command: the first authorisation the policy does not allow, as the error AWS would
 * throw, or undefined when every one is allowed. Commands without a mapping are always refused.
 *
 * @example
 * ```ts
 * const refusal = decide(policy, 'DynamoDBClient', 'GetItemCommand', { TableName: 'yardstick' });
 * ```
 */
export const decide = (
  policy: EnforcementPolicy,
  clientName: string,
  commandName: string,
  input: unknown,
): AccessDeniedException | undefined => {
  const region = policy.region ?? LOCAL_REGION;
  const principal = `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/yardstick-${policy.functionName}-role/yardstick-${policy.functionName}`;
  let required: RequiredAction[];
  try {
    required = requiredActions(clientName, commandName, input);
  } catch (error) {
    if (!(error instanceof UnmappedCommandError)) throw error;
    const service = ServiceOfClient[clientName] ?? clientName.replace(/Client$/, '').toLowerCase();
    const action = `${service}:${commandName.replace(/Command$/, '')}`;
    const resource = text((input as { TableName?: unknown } | undefined)?.TableName) || '*';
    return new AccessDeniedException(
      action,
      `arn:aws:${service}:${region}:${LOCAL_ACCOUNT_ID}:${resource}`,
      principal,
      commandName,
    );
  }
  const allowed = allowedActions(policy.permissions);
  const refused = required.find(
    (r) =>
      !allowed.has(r.action as AwsAction) ||
      (r.service === 'dynamodb' && policy.tableName !== undefined && r.resource !== policy.tableName),
  );
  return refused ? new AccessDeniedException(refused.action, arnOf(refused, region), principal) : undefined;
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Any AWS SDK v3 client: all that enforcement needs is its middleware stack. */
interface SdkClient {
  readonly middlewareStack: {
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's stacks are generic per client; this one adds to any.
    add(middleware: any, options: { step: 'initialize'; name: string; priority: 'high' }): void;
  };
}

/**
 * Makes a client refuse, before anything is sent, every command the policy does not allow, with the
 * AccessDeniedException AWS would answer. Runs first in the initialize step, so retries and
 * signing never see a refused command.
 *
 * @example
 * ```ts
 * const client = enforcePermissions(localDynamoDbClient(endpoint), { functionName: 'api', permissions: FunctionPermissions.api });
 * ```
 */
export const enforcePermissions = <C extends SdkClient>(client: C, policy: EnforcementPolicy): C => {
  client.middlewareStack.add(
    (
      next: (args: { input: unknown }) => Promise<unknown>,
      context: { clientName?: string; commandName?: string },
    ) =>
      async (args: { input: unknown }) => {
        const refusal = decide(policy, context.clientName ?? '', context.commandName ?? '', args.input);
        if (refusal) {
          policy.onDenied?.(refusal);
          throw refusal;
        }
        return next(args);
      },
    { step: 'initialize', name: 'yardstickIamEnforcement', priority: 'high' },
  );
  return client;
};

export interface FunctionClientOptions {
  /** The DynamoDB endpoint (DynamoDB Local, or another endpoint local mode was pointed at). */
  readonly endpoint: string;
  /** Endpoints of the other services, when a test serves them; SES has no local stand-in. */
  readonly eventsEndpoint?: string;
  readonly sesEndpoint?: string;
  /** Restricts DynamoDB actions to this table, as the stack's grant does. */
  readonly tableName?: string;
  /** @default FunctionPermissions[functionName]; tests inject a narrower set to prove refusals */
  readonly permissions?: FunctionPermissionSet;
  readonly onDenied?: (error: AccessDeniedException) => void;
}

/** One function's AWS clients, each limited to the function's permissions. */
export interface FunctionClients {
  readonly dynamodb: DynamoDBClient;
  /** The table's stream, as Lambda's event source mapping reads it with the role. Created on first use. */
  readonly dynamodbStreams: DynamoDBStreamsClient;
  /** Created on first use. */
  readonly ses: SESv2Client;
  /** Created on first use. */
  readonly eventBridge: EventBridgeClient;
  /** Every refusal so far, oldest first. */
  readonly denied: readonly AccessDeniedException[];
  destroy(): void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The AWS clients of one function wherever its code runs outside AWS (local mode, the test suite):
 * each refuses what the function's role would refuse on AWS, so a missing grant fails here first.
 *
 * @example
 * ```ts
 * const aggregate = functionClients('aggregate', { endpoint: 'http://127.0.0.1:8000', tableName: 'yardstick' });
 * const store = new DynamoDbMetricsStore({ client: aggregate.dynamodb, tableName: 'yardstick' });
 * ```
 */
export const functionClients = (
  functionName: FunctionName,
  options: FunctionClientOptions,
): FunctionClients => {
  const denied: AccessDeniedException[] = [];
  const policy: EnforcementPolicy = {
    functionName,
    permissions: options.permissions ?? FunctionPermissions[functionName],
    tableName: options.tableName,
    onDenied: (error) => {
      denied.push(error);
      options.onDenied?.(error);
    },
  };
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
  const dynamodb = enforcePermissions(localDynamoDbClient(options.endpoint), policy);
  let ses: SESv2Client | undefined;
  let eventBridge: EventBridgeClient | undefined;
  let dynamodbStreams: DynamoDBStreamsClient | undefined;
  return {
    dynamodb,
    get dynamodbStreams() {
      dynamodbStreams ??= enforcePermissions(
        new DynamoDBStreamsClient({ ...common, endpoint: options.endpoint }),
        policy,
      );
      return dynamodbStreams;
    },
    get ses() {
      ses ??= enforcePermissions(new SESv2Client({ ...common, endpoint: options.sesEndpoint }), policy);
      return ses;
    },
    get eventBridge() {
      eventBridge ??= enforcePermissions(
        new EventBridgeClient({ ...common, endpoint: options.eventsEndpoint }),
        policy,
      );
      return eventBridge;
    },
    denied,
    destroy: () => {
      dynamodb.destroy();
      dynamodbStreams?.destroy();
      ses?.destroy();
      eventBridge?.destroy();
    },
  };
};

/**
 * The endpoint a client was built for, so that a function's own clients can be made for the same
 * DynamoDB (local mode hands functions its admin client's endpoint, never the client itself).
 *
 * @example
 * ```ts
 * await endpointOf(localDynamoDbClient('http://127.0.0.1:8000')); // 'http://127.0.0.1:8000/'
 * ```
 */
export const endpointOf = async (client: DynamoDBClient): Promise<string> => {
  const endpoint = await client.config.endpoint?.();
  if (!endpoint) throw new Error('the client has no explicit endpoint; local mode needs one');
  const port = endpoint.port ? `:${endpoint.port}` : '';
  return `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path}`;
};
