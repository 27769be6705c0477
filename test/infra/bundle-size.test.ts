import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_DIR, MAX_BUNDLE_BYTES, RUNTIME_PROVIDED_MODULES } from '../../infra/constructs/bundling.ts';
import { FUNCTION_NAMES } from '../../shared/config/functions.ts';
import { buildFunctionBundle, type FunctionBundle } from '../support/function-bundles.ts';

// Sizes are byte counts of a deterministic build, not timings, so they can be held by a test.
const bundles = new Map<string, FunctionBundle>();

beforeAll(async () => {
  // Prepare: each function built in memory with exactly the construct's esbuild options.
  for (const name of FUNCTION_NAMES) bundles.set(name, await buildFunctionBundle(name));
}, 60_000);

const bundleOf = (name: string): FunctionBundle => {
  const bundle = bundles.get(name);
  if (!bundle) throw new Error(`no bundle for ${name}`);
  return bundle;
};

const inputsUnder = (bundle: FunctionBundle, prefix: string) =>
  Object.keys(bundle.inputs).filter((path) => path.startsWith(prefix));

/** How the metafile names the stand-ins that `require()` a runtime-provided package. */
const RUNTIME_REQUIRE = 'runtime-require:';

/** Runtime package names the construct leaves out (`@aws-sdk/*` → `@aws-sdk/`). */
const RUNTIME_SCOPES = RUNTIME_PROVIDED_MODULES.map((pattern) => pattern.replace(/\*$/, ''));

describe.each(FUNCTION_NAMES)('the %s function bundle', (name) => {
  it(`is at most ${MAX_BUNDLE_BYTES / 1024} KB minified, index.mjs and every chunk together`, () => {
    // Act
    const { bytes, files } = bundleOf(name);

    // Assess
    expect(Object.keys(files)).toContain('index.mjs');
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it('loads the AWS SDK, the stores and the handler with the first event, not at cold start', () => {
    // Act
    const { coldStartInputs, inputs, externals, files } = bundleOf(name);
    const coldStart = Object.keys(coldStartInputs);

    // Assess: the wiring is a chunk of its own; what index.mjs imports statically is settings and catalog.
    expect(Object.keys(files).some((path) => path.startsWith(`${CHUNK_DIR}/wiring-`))).toBe(true);
    expect(coldStart).toContain(`functions/${name}/index.ts`);
    expect(coldStart).not.toContain(`functions/${name}/wiring.ts`);
    expect(
      coldStart.filter((path) =>
        /^(functions\/[^/]+\/handler|shared\/store\/dynamodb\/dynamodb-)/.test(path),
      ),
    ).toEqual([]);
    expect(coldStart.filter((path) => path.startsWith(RUNTIME_REQUIRE))).toEqual([]);
    expect(Object.keys(inputs)).toContain(`functions/${name}/wiring.ts`);
    // The runtime's SDK is required (CommonJS all the way down), never imported as an ES module.
    expect(Object.keys(inputs).filter((path) => path.startsWith(RUNTIME_REQUIRE))).not.toEqual([]);
    expect(
      externals.every(
        (path) => !path.startsWith('@aws-sdk/') || Object.keys(inputs).includes(`${RUNTIME_REQUIRE}${path}`),
      ),
    ).toBe(true);
  });

  it("carries none of zod's locales beyond English (zod is imported as a namespace everywhere)", () => {
    // Act
    const locales = inputsUnder(bundleOf(name), 'node_modules/zod/v4/locales/');

    // Assess: English is zod's default message language, every other locale is dead weight.
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('carries none of the build-time generators (JSON Schemas, catalog schema)', () => {
    // Act
    const inputs = Object.keys(bundleOf(name).inputs);

    // Assess: zod's own per-type JSON-schema hooks are part of every zod schema and stay; ours do not.
    expect(inputs.filter((path) => /(^|\/)(json-schemas?|generate-[\w-]+)\.ts$/.test(path))).toEqual([]);
    expect(inputs.filter((path) => path.startsWith('node_modules/zod/v4/classic/from-json-schema'))).toEqual(
      [],
    );
  });

  it('imports the AWS SDK from the runtime and bundles every other package', () => {
    // Act
    const { externals, inputs } = bundleOf(name);

    // Assess: only runtime-provided packages (and Node built-ins) are left to resolve at run time.
    const builtins = new Set(['fs', 'net', 'tty', 'util', 'os', 'path', 'crypto', 'events', 'stream']);
    const notProvided = externals.filter(
      (path) => !builtins.has(path) && !RUNTIME_SCOPES.some((scope) => path.startsWith(scope)),
    );
    expect(notProvided).toEqual([]);
    // Each function's own AWS client (DynamoDB, or EventBridge for otlp) is resolved at run time.
    expect(externals.some((path) => /^@aws-sdk\/client-(dynamodb|eventbridge)$/.test(path))).toBe(true);
    expect(Object.keys(inputs).filter((path) => /node_modules\/@(aws-sdk|smithy)\//.test(path))).toEqual([]);
  });
});
