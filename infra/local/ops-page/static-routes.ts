import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticResponse } from '../api-server.ts';
import { bundleOpsPage, cachedOpsPageBundle } from './bundle.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the page loads Chart.js from: a local copy of its UMD build, never a CDN. */
export const CHART_JS_ASSET = '/assets/chart.umd.min.js';

// chart.js exports only its entry points; its UMD build sits beside the CommonJS one.
const chartJsFile = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

const JAVASCRIPT = 'text/javascript; charset=utf-8';

const FILES = {
  '/': { file: () => join(HERE, 'index.html'), contentType: 'text/html; charset=utf-8' },
  '/assets/ops.css': { file: () => join(HERE, 'ops.css'), contentType: 'text/css; charset=utf-8' },
  [CHART_JS_ASSET]: { file: chartJsFile, contentType: JAVASCRIPT },
} as const;

/**
 * The offline ops page and its assets, for the local API server's `staticRoutes`: the fleet, the
 * charted workflows, the pipeline and the quarantine at `/`, drawn in the browser from the query API.
 * `/assets/ops.js` is the page's TypeScript (src/) bundled in memory by esbuild on first request and
 * again when a source changes; the other files are read on each request. Editing needs no restart.
 *
 * @example
 * ```ts
 * const local = await startLocalRuntime({ ...options, staticRoutes: opsPageRoutes() });
 * // open http://127.0.0.1:4000/
 * ```
 */
export const opsPageRoutes = (
  bundle = cachedOpsPageBundle(bundleOpsPage),
): Record<string, () => StaticResponse | Promise<StaticResponse>> => ({
  ...Object.fromEntries(
    Object.entries(FILES).map(([path, { file, contentType }]) => [
      path,
      (): StaticResponse => ({ contentType, body: readFileSync(file()) }),
    ]),
  ),
  '/assets/ops.js': async (): Promise<StaticResponse> => ({
    contentType: JAVASCRIPT,
    body: (await bundle()).code,
  }),
});
