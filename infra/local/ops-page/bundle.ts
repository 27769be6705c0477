import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { YardstickError } from '../../../shared/errors.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The page's entry module: everything else, shared formatters included, is reached from it. */
export const OPS_PAGE_ENTRY = join(HERE, 'src', 'main.ts');

/** Thrown when the page's TypeScript does not bundle (a syntax error, an import that does not resolve). */
export class OpsPageBundleError extends YardstickError {}

/** One bundle of the page: its JavaScript and the files it was built from, with their mtimes. */
export interface OpsPageBundle {
  readonly code: string;
  /** Absolute paths of every source that went into the bundle (for rebuild checks and tests). */
  readonly inputs: readonly string[];
}

const ROOT = join(HERE, '..', '..', '..');

/**
 * Bundles the ops page's TypeScript for the browser in memory (esbuild, `write: false`): one ES
 * module, no separate build step. Node built-ins are refused at build time, so a shared module that
 * reaches for `node:` cannot slip into the page.
 *
 * @example
 * ```ts
 * const { code } = await bundleOpsPage();
 * ```
 */
export const bundleOpsPage = async (entry = OPS_PAGE_ENTRY): Promise<OpsPageBundle> => {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      sourcemap: 'inline',
      legalComments: 'none',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const inputs = Object.keys(result.metafile.inputs).map((path) => join(ROOT, path));
    return { code, inputs };
  } catch (error) {
    throw new OpsPageBundleError(`the ops page does not bundle: ${(error as Error).message}`);
  }
};

const newestChange = (files: readonly string[]): number =>
  Math.max(
    ...files.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY),
  );

/**
 * The page's bundle, built on first use and again only when one of its sources changed since (so
 * editing the page needs no restart, and serving it costs a few `stat` calls).
 *
 * @example
 * ```ts
 * const current = cachedOpsPageBundle();
 * const { code } = await current();
 * ```
 */
export const cachedOpsPageBundle = (bundle: () => Promise<OpsPageBundle> = bundleOpsPage) => {
  let cached: { built: Promise<OpsPageBundle>; at: number } | undefined;
  return async (): Promise<OpsPageBundle> => {
    if (cached) {
      const previous = await cached.built.catch(() => undefined);
      if (previous && newestChange(previous.inputs) <= cached.at) return previous;
    }
    const at = Date.now();
    cached = { built: bundle(), at };
    return cached.built;
  };
};
