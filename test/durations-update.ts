import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Rewrites `test/durations.json` from the JSON report of the last `vitest run`
 * (`test-output/vitest-results.json`): each file's seconds, slowest first, for
 * {@link import('./sequencer.ts').SlowestFirstSequencer}. Run after a full run on a quiet machine.
 */
const report = JSON.parse(readFileSync('test-output/vitest-results.json', 'utf8')) as {
  testResults: Array<{ name: string; startTime: number; endTime: number }>;
};
const seconds = Object.fromEntries(
  report.testResults
    .map(
      (file) =>
        [relative(process.cwd(), file.name), Math.round((file.endTime - file.startTime) / 1000)] as const,
    )
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync('test/durations.json', `${JSON.stringify(seconds, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(seconds).length} files`);
