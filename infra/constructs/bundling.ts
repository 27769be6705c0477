import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import * as esbuild from 'esbuild';
import { FUNCTION_NAMES, type FunctionName } from '../../shared/config/functions.ts';
import { YardstickError } from '../../shared/errors.ts';

/**
 * Packages every Lambda Node.js runtime since Node 18 ships (AWS SDK for JavaScript v3 and the
 * Smithy packages it is built on, under `/var/runtime/node_modules`): left out of the bundles and
 * imported from the runtime. Both scopes or neither: a bundled `@smithy/core` next to the runtime's
 * clients would mix two versions of the SDK's core in one process. Everything else (Powertools,
 * middy, zod, OpenTelemetry, `@stdlib`) is not in the runtime and stays bundled. Why the SDK is not
 * bundled: docs/functions.md, "Bundles".
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*', '@smithy/*'] as const;

/** Where each function's handler lives, relative to the repository root. */
export const FUNCTION_ENTRIES = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, `functions/${name}/index.ts`]),
) as { readonly [F in FunctionName]: `functions/${F}/index.ts` };

/** A minified bundle above this fails the bundle-size test (issue 12: cold starts, deploy size). */
export const MAX_BUNDLE_BYTES = 400 * 1024;

/** Where lazily imported code goes inside a function's asset, next to `index.mjs`. */
export const CHUNK_DIR = 'chunks';

/**
 * How every function is bundled, as esbuild options (everything but the entry point and the output
 * directory). The construct builds with exactly these ({@link bundleFunctionSync}); the bundle-size
 * test and the bench turn them into builds with {@link esbuildOptionsOf}, so what they measure is
 * what deploys.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins, and the
  // runtime's SDK is loaded with it (requireRuntimeModules).
  banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  externalModules: RUNTIME_PROVIDED_MODULES,
  // License notices go to `<file>.LEGAL.txt` in the same asset instead of the end of the code:
  // kept with what is deployed, not parsed at every cold start (76 KB of the api bundle, mostly the
  // same Apache-2.0 header on each @stdlib file).
  legalComments: 'external',
  // Every `import()` becomes a chunk of its own, read only when it runs. Without splitting esbuild
  // inlines dynamically imported code into `index.mjs` (still parsed at cold start) and hoists its
  // static imports of runtime-provided packages to the top (so the SDK would load at cold start
  // anyway). Functions defer what the first event needs with `onFirstCall`
  // (shared/lambda/first-call.ts); docs/functions.md, "Bundles".
  splitting: true,
} as const;

/**
 * The esbuild options of every function bundle for a Lambda runtime (`nodejs24.x` targets
 * `node24`): {@link FUNCTION_BUNDLING} written out, `index.mjs` and its chunks under `outdir`, the
 * runtime's packages loaded with `require()` ({@link requireRuntimeModules}). For esbuild's
 * asynchronous API (plugins).
 *
 * @example
 * ```ts
 * const result = await esbuild.build({
 *   ...esbuildOptionsOf(FUNCTION_RUNTIME.name), entryPoints: { index: FUNCTION_ENTRIES.api },
 *   outdir: 'out', write: false,
 * });
 * ```
 */
export const esbuildOptionsOf = (runtimeName: string): BuildOptions => {
  const major = /^nodejs(\d+)/.exec(runtimeName)?.[1];
  if (!major) throw new BundlingError(`cannot tell the Node.js version of runtime ${runtimeName}`);
  return {
    bundle: true,
    target: `node${major}`,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    external: [...FUNCTION_BUNDLING.externalModules],
    legalComments: FUNCTION_BUNDLING.legalComments,
    splitting: FUNCTION_BUNDLING.splitting,
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
    plugins: [requireRuntimeModules],
    logLevel: 'error',
  };
};

/** Bare module names the Lambda runtime provides, as esbuild resolves them (`@aws-sdk/client-dynamodb`). */
const RUNTIME_PROVIDED_FILTER = new RegExp(
  `^(${RUNTIME_PROVIDED_MODULES.map((pattern) => pattern.replace('/*', '/')).join('|')})`,
);

/** The namespace of the stand-in modules {@link requireRuntimeModules} puts in place of `import`s. */
const REQUIRED_NAMESPACE = 'runtime-require';

/**
 * Loads the runtime-provided packages (the AWS SDK, CommonJS on Lambda) with `require()` instead of
 * `import`. Node routes every `require()` inside a CommonJS module reached through `import` via its
 * ES module loader (format detection and a named-exports scan of each of the SDK's files); reached
 * through `require()` it stays CommonJS: measured here, loading the DynamoDB and SESv2 clients takes
 * about half as long. Each import of such a package from our code resolves to a stand-in,
 * `module.exports = require('<package>')`, whose `require` is left to run time (the banner's
 * `createRequire`); Lambda resolves it through `NODE_PATH`, which includes the runtime's modules.
 */
export const requireRuntimeModules: Plugin = {
  name: 'yardstick-require-runtime-modules',
  setup(build) {
    build.onResolve({ filter: RUNTIME_PROVIDED_FILTER }, (args) =>
      args.kind === 'require-call'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: REQUIRED_NAMESPACE },
    );
    build.onLoad({ filter: /.*/, namespace: REQUIRED_NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Builds one function into `outdir` (`index.mjs`, its chunks, source maps and license notices) with
 * {@link esbuildOptionsOf}.
 *
 * @example
 * ```ts
 * await bundleFunction({ entry: join(PROJECT_ROOT, FUNCTION_ENTRIES.api), runtimeName: 'nodejs24.x', outdir, projectRoot: PROJECT_ROOT });
 * ```
 */
export const bundleFunction = async (options: BundleFunctionOptions): Promise<void> => {
  await esbuild.build({
    ...esbuildOptionsOf(options.runtimeName),
    entryPoints: { index: options.entry },
    outdir: options.outdir,
    absWorkingDir: options.projectRoot,
  });
};

export interface BundleFunctionOptions {
  /** Absolute path of the function's `index.ts`. */
  readonly entry: string;
  /** The Lambda runtime's name (`nodejs24.x`): the Node version to target. */
  readonly runtimeName: string;
  readonly outdir: string;
  readonly projectRoot: string;
}

/** Bundles built by {@link bundleFunctionSync} in this process, by runtime and entry: their directory. */
const built = new Map<string, string>();

/**
 * {@link bundleFunction} in a child Node process, waited for, then copied to `outdir`: the
 * construct's local bundling step (CDK's `ILocalBundling.tryBundle` is synchronous, and esbuild runs
 * plugins only in its asynchronous API). `NodejsFunction` cannot build this way: it always passes
 * `--outfile`, and esbuild splits code only into an output directory. The first call builds every
 * function of {@link FUNCTION_ENTRIES} in the same child, in parallel, and later calls in this
 * process (a synth of several stacks, the tests) copy from there: one child and one tsx start-up
 * per process instead of one per function and stack.
 *
 * @example
 * ```ts
 * bundleFunctionSync({ entry: join(PROJECT_ROOT, FUNCTION_ENTRIES.api), runtimeName: 'nodejs24.x', outdir, projectRoot: PROJECT_ROOT });
 * ```
 */
export const bundleFunctionSync = (options: BundleFunctionOptions): void => {
  const keyOf = (entry: string) => `${options.runtimeName}\n${resolve(options.projectRoot, entry)}`;
  if (!built.has(keyOf(options.entry))) {
    const root = mkdtempSync(join(tmpdir(), 'yardstick-functions-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    const entries = [
      ...new Set(
        [options.entry, ...Object.values(FUNCTION_ENTRIES)].map((e) => resolve(options.projectRoot, e)),
      ),
    ];
    const jobs = entries.map((entry, index) => ({ ...options, entry, outdir: join(root, String(index)) }));
    const script = `import { bundleFunction } from ${JSON.stringify(import.meta.url)};
await Promise.all(JSON.parse(process.argv[1]).map(bundleFunction));`;
    execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(jobs)],
      { cwd: options.projectRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    for (const job of jobs) built.set(keyOf(job.entry), job.outdir);
  }
  cpSync(built.get(keyOf(options.entry)) as string, options.outdir, { recursive: true });
};

/** The bundling options cannot be turned into an esbuild build. */
export class BundlingError extends YardstickError {}
