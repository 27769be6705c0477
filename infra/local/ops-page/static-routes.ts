import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticResponse } from '../api-server.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the page loads Chart.js from: a local copy of its UMD build, never a CDN. */
export const CHART_JS_ASSET = '/assets/chart.umd.min.js';

// chart.js exports only its entry points; its UMD build sits beside the CommonJS one.
const chartJsFile = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

const FILES = {
  '/': { file: () => join(HERE, 'index.html'), contentType: 'text/html; charset=utf-8' },
  '/assets/ops.js': { file: () => join(HERE, 'ops.js'), contentType: 'text/javascript; charset=utf-8' },
  '/assets/ops.css': { file: () => join(HERE, 'ops.css'), contentType: 'text/css; charset=utf-8' },
  [CHART_JS_ASSET]: { file: chartJsFile, contentType: 'text/javascript; charset=utf-8' },
} as const;

/**
 * The offline ops page and its assets, for the local API server's `staticRoutes`: the fleet table,
 * per-workflow charts and pipeline counters at `/`, drawn in the browser from the query API. Files
 * are read on each request, so editing the page needs no restart.
 *
 * @example
 * ```ts
 * const local = await startLocalRuntime({ ...options, staticRoutes: opsPageRoutes() });
 * // open http://127.0.0.1:4000/
 * ```
 */
export const opsPageRoutes = (): Record<string, () => StaticResponse> =>
  Object.fromEntries(
    Object.entries(FILES).map(([path, { file, contentType }]) => [
      path,
      (): StaticResponse => ({ contentType, body: readFileSync(file()) }),
    ]),
  );
