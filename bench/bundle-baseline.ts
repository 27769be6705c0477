import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import type { BundleVariation } from '../test/support/function-bundles.ts';

/** The namespace import every zod-using module has now, and the named import they had before. */
const NAMESPACE_IMPORT = "import * as z from 'zod';";
const NAMED_IMPORT = "import { z } from 'zod';";

/** The aggregate function's own envelope schema, and the Powertools module it replaced. */
const OWN_ENVELOPE = './eventbridge-envelope.ts';
const ENVELOPE_FILTER = /^\.\/eventbridge-envelope\.ts$/;
const POWERTOOLS_ENVELOPE =
  "export { EventBridgeSchema as EventBridgeEnvelopeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';";

/**
 * Rebuilds the configuration before issue 12 from today's sources, so the bench compares against it
 * in the same run: every `import * as z from 'zod'` read back as `import { z } from 'zod'`, the
 * aggregate function's envelope taken from Powertools' parser again (its `import { z }` is what
 * pulled every zod locale in), the AWS SDK bundled (no externals) and license comments at the end
 * of the code (esbuild's default). Everything else is the construct's options, untouched.
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
      if (!source.includes(NAMESPACE_IMPORT)) return undefined;
      return { contents: source.replaceAll(NAMESPACE_IMPORT, NAMED_IMPORT), loader: 'ts' };
    });
  },
};

/**
 * The build variation that reproduces the bundles as they were before issue 12 (SDK bundled, zod
 * imported by name, license comments inline), for the bench's A/B comparison.
 *
 * @example
 * ```ts
 * const before = await buildFunctionBundle('api', BEFORE_ISSUE_12);
 * ```
 */
export const BEFORE_ISSUE_12: BundleVariation = {
  external: [],
  legalComments: 'eof',
  plugins: [beforeIssue12],
};
