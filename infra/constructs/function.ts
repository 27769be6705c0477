import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, type Duration, type RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type FunctionEnvironmentValues,
  functionEnvironment,
  Variables,
} from '../../shared/config/environment.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import { bundleFunctionSync } from './bundling.ts';

/** The repository root: entry points and the lock file are resolved from it, never from the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime Lambda supports in the installed aws-cdk-lib (cdk-nag AwsSolutions-L1
 * compares against the same list, so bumping aws-cdk-lib flags this line when a newer one appears).
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

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
 * SDK taken from the runtime, code split into chunks loaded on first use), arm64, newest Node runtime, source maps, its own log group and a role
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
  readonly function: lambda.Function;
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
    this.function = new lambda.Function(this, 'Function', {
      code: functionCode(props.entry, catalogFile),
      handler: 'index.handler',
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
    });

    // The X-Ray actions have no resource-level permissions, so the tracing grant must use "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; AWS requires "*" (added by Tracing.ACTIVE).',
    });
  }
}

/**
 * The function's asset: esbuild run in-process with the options of `bundling.ts` (split into
 * `index.mjs` and chunks loaded on first use), never Docker; the asset hash is the output's, so it
 * changes with the code and the catalog. Env vars are capped at 4 KB in total, so the catalog
 * travels as a file in the asset.
 */
const functionCode = (entry: string, catalogFile: string | undefined): lambda.Code =>
  lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because local bundling always succeeds or throws.
      image: FUNCTION_RUNTIME.bundlingImage,
      local: {
        tryBundle: (outputDir) => {
          bundleFunctionSync({
            entry: join(PROJECT_ROOT, entry),
            runtimeName: FUNCTION_RUNTIME.name,
            outdir: outputDir,
            projectRoot: PROJECT_ROOT,
          });
          if (catalogFile) copyFileSync(catalogFile, join(outputDir, BundledCatalog.fileName));
          return true;
        },
      },
    },
  });
