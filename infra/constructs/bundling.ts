import type { BuildOptions } from 'esbuild';
import { FUNCTION_NAMES, type FunctionName } from '../../shared/config/functions.ts';

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

/**
 * How every function is bundled, in the terms of `NodejsFunction`'s `bundling` prop. The construct
 * passes these; the bundle-size test and the bench turn them into esbuild options with
 * {@link esbuildOptionsOf}, so what they measure is what deploys.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  externalModules: RUNTIME_PROVIDED_MODULES,
  // License notices go to `index.mjs.LEGAL.txt` in the same asset instead of the end of the code:
  // kept with what is deployed, not parsed at every cold start (76 KB of the api bundle, mostly the
  // same Apache-2.0 header on each @stdlib file).
  legalComments: 'external',
} as const;

/**
 * The esbuild options `NodejsFunction` derives from {@link FUNCTION_BUNDLING} (aws-cdk-lib's
 * `Bundling.createBundlingSteps`: `--bundle --target=nodeNN --platform=node --format --minify
 * --sourcemap --sources-content=false --external:… --banner:js --main-fields`, then `esbuildArgs`), for in-process builds.
 *
 * @example
 * ```ts
 * const result = await esbuild.build({
 *   ...esbuildOptionsOf(FUNCTION_RUNTIME.name), entryPoints: [FUNCTION_ENTRIES.api], write: false,
 *   outfile: 'index.mjs',
 * });
 * ```
 */
export const esbuildOptionsOf = (runtimeName: string): BuildOptions => {
  // NodejsFunction targets the runtime's Node major version (`nodejs24.x` → `node24`).
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
  };
};

/** The bundling options cannot be turned into an esbuild build. */
export class BundlingError extends Error {
  override readonly name = 'BundlingError';
}
