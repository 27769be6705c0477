import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import type { BundleVariation } from '../test/support/function-bundles.ts';

/** The namespace import every zod-using module has now, and the named import they had before. */
const NAMESPACE_IMPORT = "import * as z from 'zod';";
const NAMED_IMPORT = "import { z } from 'zod';";

/** A function's entry point (`functions/<name>/index.ts`), where its wiring is imported. */
const ENTRY_FILTER = /\/functions\/[^/]+\/index\.ts$/;

/** `import('./x.ts')` of our own modules: how functions defer their wiring to the first call. */
const DYNAMIC_IMPORT = /\bimport\((['"])(\.{1,2}\/[^'"]+)\1\)/g;

/**
 * The source with every dynamic import of our own modules made static (the module imported as a
 * namespace at the top, the `import()` replaced by a promise of it): wiring loaded at cold start, as
 * every function did before issue 12.
 */
const eagerImports = (source: string): string => {
  const names = new Map<string, string>();
  const body = source.replace(DYNAMIC_IMPORT, (_match, _quote, path: string) => {
    const name = names.get(path) ?? `eager${names.size}`;
    names.set(path, name);
    return `Promise.resolve(${name})`;
  });
  const imports = [...names].map(([path, name]) => `import * as ${name} from '${path}';\n`).join('');
  return `${imports}${body}`;
};

/**
 * Loads every function's wiring at cold start again (dynamic imports of our own modules made
 * static) and changes nothing else.
 */
const eagerWiring: Plugin = {
  name: 'yardstick-eager-wiring',
  setup(build) {
    build.onLoad({ filter: ENTRY_FILTER }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = eagerImports(source);
      return eager === source ? undefined : { contents: eager, loader: 'ts' };
    });
  },
};

/**
 * The deployed build as it was before functions loaded their wiring on first call: the construct's
 * options and today's sources, in one file, everything loaded at cold start, the runtime's SDK
 * imported as an ES module (no `requireRuntimeModules`).
 *
 * @example
 * ```ts
 * const eager = await buildFunctionBundle('api', EAGER_WIRING);
 * ```
 */
export const EAGER_WIRING: BundleVariation = { splitting: false, plugins: [eagerWiring] };

/** The aggregate function's own envelope schema, and the Powertools module it replaced. */
const OWN_ENVELOPE = './eventbridge-envelope.ts';
const ENVELOPE_FILTER = /^\.\/eventbridge-envelope\.ts$/;
const POWERTOOLS_ENVELOPE =
  "export { EventBridgeSchema as EventBridgeEnvelopeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';";

/**
 * Rebuilds the configuration before issue 12 from today's sources, so the bench compares against it
 * in the same run: every `import * as z from 'zod'` read back as `import { z } from 'zod'`, every
 * `import('./wiring.ts')` (a function's dependencies, loaded by its first call) made static, the
 * aggregate function's envelope taken from Powertools' parser again (its `import { z }` is what
 * pulled every zod locale in), the AWS SDK bundled (no externals), one file (no splitting) and
 * license comments at the end of the code (esbuild's default). Everything else is the construct's options, untouched.
 */
const beforeIssue12: Plugin = {
  name: 'yardstick-before-issue-12',
  setup(build) {
    build.onResolve({ filter: ENVELOPE_FILTER }, (args) => ({
      path: OWN_ENVELOPE,
      namespace: 'powertools-envelope',
      pluginData: args.resolveDir,
    }));
    build.onLoad({ filter: /.*/, namespace: 'powertools-envelope' }, (args) => ({
      contents: POWERTOOLS_ENVELOPE,
      loader: 'ts',
      resolveDir: args.pluginData as string,
    }));
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const wired = ENTRY_FILTER.test(args.path) ? eagerImports(source) : source;
      const before = wired.replaceAll(NAMESPACE_IMPORT, NAMED_IMPORT);
      return before === source ? undefined : { contents: before, loader: 'ts' };
    });
  },
};

/**
 * The build variation that reproduces the bundles as they were before issue 12 (SDK bundled, zod
 * imported by name, everything loaded at cold start into one file, license comments inline), for the bench's A/B comparison.
 *
 * @example
 * ```ts
 * const before = await buildFunctionBundle('api', BEFORE_ISSUE_12);
 * ```
 */
export const BEFORE_ISSUE_12: BundleVariation = {
  external: [],
  splitting: false,
  legalComments: 'eof',
  plugins: [beforeIssue12],
};
