import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES, RUNTIME_PROVIDED_MODULES } from '../../infra/constructs/bundling.ts';
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

/** Runtime package names the construct leaves out (`@aws-sdk/*` → `@aws-sdk/`). */
const RUNTIME_SCOPES = RUNTIME_PROVIDED_MODULES.map((pattern) => pattern.replace(/\*$/, ''));

describe.each(FUNCTION_NAMES)('the %s function bundle', (name) => {
  it(`is at most ${MAX_BUNDLE_BYTES / 1024} KB minified`, () => {
    // Act
    const { bytes } = bundleOf(name);

    // Assess
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
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
