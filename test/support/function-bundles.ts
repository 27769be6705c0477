import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import {
  esbuildOptionsOf,
  FUNCTION_ENTRIES,
  RUNTIME_PROVIDED_MODULES,
} from '../../infra/constructs/bundling.ts';
import { FUNCTION_RUNTIME, PROJECT_ROOT } from '../../infra/constructs/function.ts';
import type { FunctionName } from '../../shared/config/functions.ts';

/** One function's bundle, built in memory: the minified `index.mjs` and what went into it. */
export interface FunctionBundle {
  readonly name: FunctionName;
  readonly code: Uint8Array;
  /** Bytes of `index.mjs` (the source map, a separate file, is not loaded at run time). */
  readonly bytes: number;
  /** Repository-relative input paths (`node_modules/zod/…`, `events/schemas.ts`) and their bytes in the output. */
  readonly inputs: Readonly<Record<string, number>>;
  /** Bare module names the bundle imports at run time instead of carrying them. */
  readonly externals: readonly string[];
}

/** Changes to the construct's esbuild options, for a baseline (the bench) only. */
export type BundleVariation = Pick<esbuild.BuildOptions, 'external' | 'plugins' | 'legalComments'>;

/**
 * Builds a function exactly as `YardstickFunction` deploys it (the options of
 * `infra/constructs/bundling.ts`, the construct's runtime), in memory.
 *
 * @example
 * ```ts
 * const api = await buildFunctionBundle('api');
 * console.log(api.bytes, Object.keys(api.inputs).filter((path) => path.includes('node_modules/zod/')));
 * ```
 */
export const buildFunctionBundle = async (
  name: FunctionName,
  variation: BundleVariation = {},
): Promise<FunctionBundle> => {
  const result = await esbuild.build({
    ...esbuildOptionsOf(FUNCTION_RUNTIME.name),
    ...variation,
    entryPoints: [join(PROJECT_ROOT, FUNCTION_ENTRIES[name])],
    absWorkingDir: PROJECT_ROOT,
    outfile: join(PROJECT_ROOT, 'index.mjs'),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))?.contents;
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))?.[1];
  if (!code || !output) throw new Error(`esbuild produced no index.mjs for ${name}`);
  const externals = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith('node:')) externals.add(imported.path);
    }
  }
  return {
    name,
    code,
    bytes: code.byteLength,
    inputs: Object.fromEntries(
      Object.entries(output.inputs).map(([path, { bytesInOutput }]) => [path, bytesInOutput]),
    ),
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
 * Writes a bundle to `<dir>/<label>/index.mjs` below the runtime's modules
 * ({@link provideRuntimeModules}). Returns the path of the written file.
 *
 * @example
 * ```ts
 * const file = writeAsOnLambda(mkdtempSync(join(tmpdir(), 'bundles-')), 'api', await buildFunctionBundle('api'));
 * await import(pathToFileURL(file).href);
 * ```
 */
export const writeAsOnLambda = (dir: string, label: string, bundle: FunctionBundle): string => {
  provideRuntimeModules(dir);
  const file = join(dir, label, 'index.mjs');
  mkdirSync(join(dir, label), { recursive: true });
  writeFileSync(file, bundle.code);
  return file;
};
