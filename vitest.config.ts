import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './test/sequencer.ts';
import { TEST_WORKERS } from './test/workers.ts';

// Tests import the workspace package by name (`@yardstick/events/recorder`): this condition resolves
// its TypeScript sources, so no build of events/dist is needed (events/package.json "exports").
const SOURCE_CONDITION = '@yardstick/source';

export default defineConfig({
  // After it, vitest's own defaults for Node ('module' is left out: it selects bundler-only builds).
  ssr: { resolve: { conditions: [SOURCE_CONDITION, 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: TEST_WORKERS,
    sequence: { sequencer: SlowestFirstSequencer },
    // The JSON report lets CI print a plain 'N passed, N failed' line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest-results.json' },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
