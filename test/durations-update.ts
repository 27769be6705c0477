import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Rewrites `test/durations.json` from vitest's results cache of the last run
 * (`node_modules/.vite/vitest/<hash>/results.json`, which times each file with its hooks, unlike the
 * JSON report): each file's seconds, slowest first, for the sequencer (`test/sequencer.ts`). Run after a
 * full run on a quiet machine.
 */
const cacheRoot = 'node_modules/.vite/vitest';
const caches = existsSync(cacheRoot)
  ? readdirSync(cacheRoot)
      .map((dir) => join(cacheRoot, dir, 'results.json'))
      .filter((path) => existsSync(path))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
  : [];
const newest = caches[0];
if (!newest) throw new Error(`no vitest results cache under ${cacheRoot}: run the suite first`);
const { results } = JSON.parse(readFileSync(newest, 'utf8')) as {
  results: Array<[string, { duration?: number }]>;
};
const seconds = Object.fromEntries(
  results
    // Keys are `{project}:{file}`; this repository has the one unnamed project.
    .map(([key, { duration = 0 }]) => [key.slice(key.indexOf(':') + 1), Math.round(duration / 1000)] as const)
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync('test/durations.json', `${JSON.stringify(seconds, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(seconds).length} files, from ${newest}`);
