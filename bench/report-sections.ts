import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spliceSection } from './section-splice.ts';

/**
 * Where the sections of BENCHMARKS.md recorded by hand begin: no benchmark writes from this heading on,
 * and a section written for the first time is placed before it.
 */
export const HAND_RECORDED = '## Fault-injection property test';

/**
 * Writes one benchmark's section into BENCHMARKS.md (replacing the section under the same heading, or
 * adding it before the hand-recorded ones), leaving every other section as it is: each benchmark,
 * run alone or by `npm run bench`, rewrites only what it measured.
 *
 * @example
 * ```ts
 * writeSection('## Digest rendering', digestRenderSection(rows, 3));
 * ```
 */
export const writeSection = (heading: string, section: string, path = 'BENCHMARKS.md'): void => {
  if (!section.startsWith(`${heading}\n`))
    throw new Error(`a section must begin with its heading ${heading}`);
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  writeFileSync(path, spliceSection(previous, heading, section, HAND_RECORDED));
};
