import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Functions } from '../../shared/config/functions.ts';
import { FunctionPermissions } from '../../shared/config/permissions.ts';
import { YardstickFunction } from './function.ts';

export interface OtlpEndpointProps {
  /** The HTTP API the routes are added to (IAM auth on every route). */
  readonly httpApi: apigwv2.HttpApi;
  /** The bus the converted events are sent to. */
  readonly eventBus: events.IEventBus;
  /** Absolute path of a validated catalog to bundle (telemetryNames, evaluations). @default - none */
  readonly catalogFile?: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - CloudWatch Logs service-side encryption */
  readonly encryptionKey?: kms.IKey;
}

/** The OTLP/HTTP paths, as exporters append them to their endpoint. */
export const OTLP_PATHS = ['/v1/traces', '/v1/logs'] as const;

/**
 * The OTLP/HTTP endpoint on AWS (docs/otlp.md): `POST /v1/traces` and `POST /v1/logs` on the query
 * API's HTTP API, SigV4 (IAM) authorised like every route there, served by the otlp function, which
 * converts and sends to the bus through PutEvents, so everything downstream is unchanged.
 *
 * @example
 * ```ts
 * const otlp = new OtlpEndpoint(this, 'Otlp', { httpApi: api.httpApi, eventBus, logRetention, removalPolicy });
 * otlp.grantExport(collectorRole);
 * ```
 */
export class OtlpEndpoint extends Construct {
  readonly handler: YardstickFunction<'otlp'>;
  readonly httpApi: apigwv2.HttpApi;

  constructor(scope: Construct, id: string, props: OtlpEndpointProps) {
    super(scope, id);
    this.httpApi = props.httpApi;
    this.handler = new YardstickFunction(this, 'Otlp', {
      functionName: Functions.otlp,
      entry: 'functions/otlp/index.ts',
      description: 'Yardstick: OTLP/HTTP endpoint (GenAI spans and evaluations to contract events)',
      // An exporter gives up after 10 s by default; PutEvents retries must end before it does.
      timeout: Duration.seconds(10),
      memorySize: 512,
      catalogFile: props.catalogFile,
      settings: { eventBusName: props.eventBus.eventBusName },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });
    // Exactly the actions of the permission source, on this bus only.
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...FunctionPermissions.otlp.events],
        resources: [props.eventBus.eventBusArn],
      }),
    );

    const integration = new HttpLambdaIntegration('Otlp', this.handler.function, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    for (const path of OTLP_PATHS) {
      props.httpApi.addRoutes({
        path,
        methods: [apigwv2.HttpMethod.POST],
        integration,
        authorizer: new HttpIamAuthorizer(),
      });
    }
    // CT.LAMBDA.PR.2, as for the query API: the invoke permission is scoped by a SourceArn built from
    // the API id, which the guard rule cannot evaluate.
    Validations.of(this).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
      reason:
        'The API Gateway invoke permissions are scoped by SourceArn to this API and its two OTLP routes; the rule only recognises literal strings, and the ARN is built from the API id at deploy time.',
    });
  }

  /**
   * Lets a principal (an OpenTelemetry Collector's role, a workload's role) export to the endpoint:
   * `execute-api:Invoke` on exactly `POST /v1/traces` and `POST /v1/logs` of the default stage.
   */
  grantExport(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: OTLP_PATHS.map((path) => this.httpApi.arnForExecuteApi('POST', path, '$default')),
    });
    return grant;
  }
}
