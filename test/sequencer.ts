import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds a file not yet in the durations file is taken to last: a new file is usually a small one. */
const UNKNOWN_SECONDS = 10;

/**
 * Runs the slowest test files first (longest processing time first), from the seconds each took in a
 * recent run (`test/durations.json`, refreshed by `npm run test:durations` after a run). Two workers
 * then finish close together: in file order, a 100-second file that starts last makes the whole suite
 * wait for it alone. A clean clone has no vitest cache to order by, which is what CI runs.
 */
export class SlowestFirstSequencer extends BaseSequencer {
  private readonly seconds: Record<string, number> = JSON.parse(
    readFileSync(new URL('./durations.json', import.meta.url), 'utf8'),
  );

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const secondsOf = (file: TestSpecification) =>
      this.seconds[relative(root, file.moduleId).replaceAll('\\', '/')] ?? UNKNOWN_SECONDS;
    return [...files].sort((a, b) => secondsOf(b) - secondsOf(a));
  }
}
