import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import {
  esbuildOptionsOf,
  FUNCTION_ENTRIES,
  RUNTIME_PROVIDED_MODULES,
} from '../../infra/constructs/bundling.ts';
import { FUNCTION_RUNTIME, PROJECT_ROOT } from '../../infra/constructs/function.ts';
import type { FunctionName } from '../../shared/config/functions.ts';

/** One function's bundle, built in memory: `index.mjs`, its chunks and what went into them. */
export interface FunctionBundle {
  readonly name: FunctionName;
  /** Every JavaScript file of the asset by its path in it (`index.mjs`, `chunks/wiring-….mjs`). */
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** Bytes of all JavaScript files (source maps and license notices are not loaded at run time). */
  readonly bytes: number;
  /** Bytes of `index.mjs` and the chunks it imports statically: what a cold start reads. */
  readonly coldStartBytes: number;
  /** Repository-relative input paths (`node_modules/zod/…`, `events/schemas.ts`) and their bytes in the output. */
  readonly inputs: Readonly<Record<string, number>>;
  /** The same, counting only what a cold start reads. */
  readonly coldStartInputs: Readonly<Record<string, number>>;
  /** Bare module names the bundle imports at run time instead of carrying them. */
  readonly externals: readonly string[];
}

/** Changes to the construct's esbuild options, for a baseline (the bench) only. */
export type BundleVariation = Pick<
  esbuild.BuildOptions,
  'external' | 'plugins' | 'legalComments' | 'splitting'
>;

/** Where the in-memory build pretends to write; only paths relative to it are kept. */
const OUT_DIR = join(PROJECT_ROOT, 'bundle-out');

/**
 * Builds a function exactly as `YardstickFunction` deploys it (the options of
 * `infra/constructs/bundling.ts`, the construct's runtime), in memory.
 *
 * @example
 * ```ts
 * const api = await buildFunctionBundle('api');
 * console.log(api.bytes, api.coldStartBytes, Object.keys(api.files));
 * ```
 */
export const buildFunctionBundle = async (
  name: FunctionName,
  variation: BundleVariation = {},
): Promise<FunctionBundle> => {
  const result = await esbuild.build({
    ...esbuildOptionsOf(FUNCTION_RUNTIME.name),
    ...variation,
    entryPoints: { index: join(PROJECT_ROOT, FUNCTION_ENTRIES[name]) },
    absWorkingDir: PROJECT_ROOT,
    outdir: OUT_DIR,
    write: false,
    metafile: true,
  });
  const files = Object.fromEntries(
    result.outputFiles
      .filter((file) => file.path.endsWith('.mjs'))
      .map((file) => [relative(OUT_DIR, file.path), file.contents]),
  );
  if (!files['index.mjs']) throw new Error(`esbuild produced no index.mjs for ${name}`);
  const outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs)
      .filter(([path]) => path.endsWith('.mjs'))
      .map(([path, output]) => [relative(OUT_DIR, join(PROJECT_ROOT, path)), output]),
  );
  // What a cold start reads: index.mjs and, transitively, the chunks it imports statically.
  const coldStart = new Set<string>();
  const visit = (file: string) => {
    if (coldStart.has(file)) return;
    coldStart.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external)
        visit(relative(OUT_DIR, join(PROJECT_ROOT, imported.path)));
    }
  };
  visit('index.mjs');
  const inputsOf = (paths: readonly string[]) => {
    const inputs: Record<string, number> = {};
    for (const path of paths) {
      for (const [input, { bytesInOutput }] of Object.entries(outputs[path]?.inputs ?? {}))
        inputs[input] = (inputs[input] ?? 0) + bytesInOutput;
    }
    return inputs;
  };
  const sizeOf = (paths: readonly string[]) =>
    paths.reduce((sum, path) => sum + (files[path]?.byteLength ?? 0), 0);
  const externals = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith('node:')) externals.add(imported.path);
    }
  }
  return {
    name,
    files,
    bytes: sizeOf(Object.keys(files)),
    coldStartBytes: sizeOf([...coldStart]),
    inputs: inputsOf(Object.keys(files)),
    coldStartInputs: inputsOf([...coldStart]),
    externals: [...externals].sort(),
  };
};

/**
 * Gives `dir/node_modules` only what the Lambda runtime provides (the AWS SDK and Smithy scopes,
 * linked from this repository's `node_modules`), the way `/var/runtime/node_modules` sits outside
 * `/var/task` on Lambda: a bundle below `dir` that needs any other package fails to import there, as
 * it would on Lambda.
 *
 * @example
 * ```ts
 * provideRuntimeModules(assemblyDir); // then import assemblyDir/asset.<hash>/index.mjs
 * ```
 */
export const provideRuntimeModules = (dir: string): void => {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const pattern of RUNTIME_PROVIDED_MODULES) {
    const scope = pattern.replace(/\/\*$/, '');
    if (!existsSync(join(modules, scope))) {
      symlinkSync(join(PROJECT_ROOT, 'node_modules', scope), join(modules, scope), 'dir');
    }
  }
};

/**
 * Writes a bundle's files to `<dir>/<label>/` below the runtime's modules
 * ({@link provideRuntimeModules}). Returns the path of the written `index.mjs`.
 *
 * @example
 * ```ts
 * const file = writeAsOnLambda(mkdtempSync(join(tmpdir(), 'bundles-')), 'api', await buildFunctionBundle('api'));
 * await import(pathToFileURL(file).href);
 * ```
 */
export const writeAsOnLambda = (dir: string, label: string, bundle: FunctionBundle): string => {
  provideRuntimeModules(dir);
  for (const [path, contents] of Object.entries(bundle.files)) {
    const file = join(dir, label, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
  return join(dir, label, 'index.mjs');
};
