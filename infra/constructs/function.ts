import { fileURLToPath } from 'node:url';
import { type Duration, type RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type FunctionEnvironmentValues,
  functionEnvironment,
  Variables,
} from '../../shared/config/environment.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import { FUNCTION_BUNDLING } from './bundling.ts';

/** The repository root: entry points and the lock file are resolved from it, never from the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime Lambda supports in the installed aws-cdk-lib (cdk-nag AwsSolutions-L1
 * compares against the same list, so bumping aws-cdk-lib flags this line when a newer one appears).
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** esbuild's format names as `NodejsFunction` spells them. */
const OUTPUT_FORMATS = { esm: nodejs.OutputFormat.ESM, cjs: nodejs.OutputFormat.CJS } as const;

/** Where a bundled catalog lands inside the function, and the variable that points the loader at it. */
export const BundledCatalog = {
  fileName: 'catalog.json',
  path: '/var/task/catalog.json',
  environmentVariable: Variables.catalogFile.name,
} as const;

export interface YardstickFunctionProps<F extends FunctionName> {
  /** Which function: names its configuration (`shared/config/variables.ts`) and permissions. */
  readonly functionName: F;
  /** Entry point, relative to the repository root (e.g. `functions/api/index.ts`). */
  readonly entry: string;
  readonly description: string;
  /** Also used by callers to size queue visibility timeouts. */
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * The function's settings, written to its environment under the names its code reads them by and
   * validated by the same rules (a bad value fails the synth). Names and settings only: Lambda
   * environment variables are not a place for secrets.
   */
  readonly settings?: FunctionEnvironmentValues<F>;
  /**
   * Absolute path of an already validated catalog file, copied next to the bundle.
   * @default - no catalog is bundled; the function runs with the built-in empty catalog
   */
  readonly catalogFile?: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default - CloudWatch Logs service-side encryption */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A Yardstick Lambda function: local esbuild bundle (never Docker; options in `bundling.ts`, the AWS
 * SDK taken from the runtime), arm64, newest Node runtime, source maps, its own log group and a role
 * that can write to that log group and nothing else until granted.
 *
 * @example
 * ```ts
 * const api = new YardstickFunction(this, 'Api', {
 *   functionName: 'api', entry: 'functions/api/index.ts', settings: { tableName: table.tableName },
 *   description: 'Query API', timeout: Duration.seconds(10),
 *   logRetention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
 * });
 * ```
 */
export class YardstickFunction<F extends FunctionName = FunctionName> extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: YardstickFunctionProps<F>) {
    super(scope, id);
    this.timeout = props.timeout;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });

    // An explicit role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs:CreateLogGroup etc. on every log group in the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);

    const catalogFile = props.catalogFile;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        // Read by Node itself, not by our code.
        NODE_OPTIONS: '--enable-source-maps',
        ...functionEnvironment(
          props.functionName,
          // Every function reads the catalog variables, which the generic type cannot see.
          {
            ...(catalogFile ? { catalogFile: BundledCatalog.path } : {}),
            ...props.settings,
          } as FunctionEnvironmentValues<F>,
          { isUnresolved: Token.isUnresolved },
        ),
      },
      bundling: {
        forceDockerBundling: false,
        // One source for the options, shared with the bundle-size test and the bench.
        format: OUTPUT_FORMATS[FUNCTION_BUNDLING.format],
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        // The AWS SDK comes from the Lambda runtime (docs/functions.md, "Bundles").
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        esbuildArgs: { '--legal-comments': FUNCTION_BUNDLING.legalComments },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Env vars are capped at 4 KB in total, so the catalog travels as a file in the asset; the
          // asset hash then changes with the catalog, which redeploys the function.
          afterBundling: (_inputDir, outputDir) =>
            catalogFile ? [`cp "${catalogFile}" "${outputDir}/${BundledCatalog.fileName}"`] : [],
        },
      },
    });

    // The X-Ray actions have no resource-level permissions, so the tracing grant must use "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; AWS requires "*" (added by Tracing.ACTIVE).',
    });
  }
}
