import { type CfnResource, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Functions } from '../../shared/config/functions.ts';
import { YardstickFunction } from './function.ts';
import type { Store } from './store.ts';

/** Stage-wide request limits. */
export interface ApiThrottle {
  /** Steady-state requests per second. @default 50 */
  readonly rateLimit?: number;
  /** Burst bucket size. @default 100 */
  readonly burstLimit?: number;
}

export interface ApiProps {
  readonly store: Store;
  /** Absolute path of a validated catalog to bundle. @default - none */
  readonly catalogFile?: string;
  readonly throttle?: ApiThrottle;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - CloudWatch Logs service-side encryption */
  readonly encryptionKey?: kms.IKey;
}

/** Function timeout of the api function; an HTTP API integration gives up at 30 s anyway. */
export const API_TIMEOUT = Duration.seconds(10);

// HTTP API variables (not REST ones): who called, which route, how it ended.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    sourceIp: '$context.identity.sourceIp',
    callerAccountId: '$context.identity.accountId',
    userArn: '$context.identity.userArn',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * The query API: an HTTP API whose every route requires SigV4 (IAM) auth, throttled at the stage,
 * access-logged, with one Lambda function doing the routing (see `functions/api/routes.ts`).
 *
 * @example
 * ```ts
 * const api = new Api(this, 'Api', { store, logRetention: logs.RetentionDays.ONE_YEAR, removalPolicy });
 * api.grantRead(dashboardRole);
 * ```
 */
export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly handler: YardstickFunction;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.handler = new YardstickFunction(this, 'Api', {
      functionName: Functions.api,
      entry: 'functions/api/index.ts',
      description: 'Yardstick: query API (metrics, workflows, overrides, digest)',
      timeout: API_TIMEOUT,
      memorySize: 1024,
      catalogFile: props.catalogFile,
      settings: { tableName: props.store.table.tableName },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });
    props.store.grant(this.handler.role, Functions.api);

    const authorizer = new HttpIamAuthorizer();
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Yardstick query API (IAM auth)',
      // A route added later, here or by a user of the construct, is still IAM-protected by default.
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
    });
    // One catch-all route: the function owns routing, so a new endpoint needs no infrastructure change
    // and an unknown path gets the function's helpful 404 listing the routes.
    this.httpApi.addRoutes({
      path: '/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('Handler', this.handler.function, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      }),
      authorizer,
    });
    // CT.LAMBDA.PR.2: the permission does carry a SourceArn (this API's routes only), but as an
    // Fn::Join of the API id, which the guard rule cannot evaluate; it accepts literal strings only.
    Validations.of(this.httpApi).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
      reason:
        'The API Gateway invoke permission is scoped by SourceArn to this API (arn:...:execute-api:<region>:<account>:<api-id>/*/*/{proxy+}); the rule only recognises literal strings, and the ARN is built from the API id at deploy time.',
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttle?.rateLimit ?? 50,
        burstLimit: props.throttle?.burstLimit ?? 100,
      },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
  }

  /**
   * Lets a principal call the API: GET on every path of the default stage (the API is read-only).
   * The path wildcard is inherent (paths carry workflow ids), so the cdk-nag finding it causes on the
   * grantee's policy is acknowledged here, for exactly this ARN.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.httpApi.arnForExecuteApi('GET', '/*', '$default')],
    });
    if (Construct.isConstruct(grantee.grantPrincipal)) {
      const stack = Stack.of(this);
      const apiLogicalId = stack.resolve((this.httpApi.node.defaultChild as CfnResource).logicalId);
      Validations.of(grantee.grantPrincipal).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/$default/GET/*]`,
        reason:
          'Read access to the Yardstick query API: GET on any path of its default stage, because paths carry workflow ids; the API has no write routes.',
      });
    }
    return grant;
  }

  /** The base URL of the API. */
  get url(): string {
    return this.stage.url;
  }
}
