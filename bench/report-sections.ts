/**
 * Where the sections of BENCHMARKS.md recorded by hand begin: `npm run bench` rewrites everything
 * before this heading and keeps everything from it on; a section run alone is placed before it.
 */
export const HAND_RECORDED = '## Fault-injection property test';
