import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { MAX_BUNDLE_BYTES } from '../infra/constructs/bundling.ts';
import { type BundleFigures, benchBundles, type Spread } from './bundles.bench.ts';
import { HAND_RECORDED } from './report-sections.ts';

/** The section's heading in BENCHMARKS.md; a standalone run replaces the section under it. */
export const BUNDLES_HEADING = '## Function bundles';

/** Cold imports per function and configuration; the issue asks for at least 5. */
export const BUNDLE_ROUNDS = Number(process.env.BENCH_BUNDLE_ROUNDS ?? 7);

const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
const ratio = (a: Spread, b: Spread) => `${(a.median / b.median).toFixed(2)}×`;
const ms = ({ min, median, max }: Spread) => `${median.toFixed(0)} ms (${min.toFixed(0)}–${max.toFixed(0)})`;

/**
 * The "Function bundles" section of BENCHMARKS.md, from the figures of {@link benchBundles}.
 *
 * @example
 * ```ts
 * console.log(bundlesSection(await benchBundles(BUNDLE_ROUNDS), BUNDLE_ROUNDS));
 * ```
 */
export const bundlesSection = (rows: readonly BundleFigures[], rounds: number): string => `${BUNDLES_HEADING}

Each function built three ways from today's sources: **deployed** (the construct's esbuild options,
\`infra/constructs/bundling.ts\`: the AWS SDK taken from the Lambda runtime), **SDK bundled** (the
same with the SDK inside the bundle) and **before** issue 12 (the SDK bundled, \`import { z } from
'zod'\`, Powertools' EventBridge envelope schema and license comments inline; a build plugin,
\`bench/bundle-baseline.ts\`, turns today's namespace imports back into named ones). Cold import is a
fresh \`node\` process importing the bundle, the SDK of the deployed bundle coming from a
\`node_modules\` beside it as Lambda's runtime provides it; ${rounds} rounds interleaved A B C A B C
after one warm-up each, median (min–max). Sizes are \`index.mjs\`, minified; the limit is
${kb(MAX_BUNDLE_BYTES)}, held by \`test/infra/bundle-size.test.ts\`. Run alone with
\`npx tsx bench/bundles-section.ts\`.

| function | deployed | SDK bundled | before | cold import, deployed | SDK bundled | before | deployed vs before | SDK bundled vs before |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows
  .map(
    ({ name, bytes, importMs }) =>
      `| ${name} | ${kb(bytes.deployed)} | ${kb(bytes.sdkBundled)} | ${kb(bytes.before)} | ${ms(importMs.deployed)} | ${ms(importMs.sdkBundled)} | ${ms(importMs.before)} | ${ratio(importMs.deployed, importMs.before)} | ${ratio(importMs.sdkBundled, importMs.before)} |`,
  )
  .join('\n')}

See docs/functions.md, "Bundles", for the choice between the first two.
`;

/** Replaces the section in BENCHMARKS.md (or adds it before the next one) and leaves the rest as it is. */
const spliceInto = (path: string, section: string) => {
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = previous.indexOf(BUNDLES_HEADING);
  if (start < 0) {
    const handRecorded = previous.indexOf(HAND_RECORDED);
    const at = handRecorded >= 0 ? handRecorded : previous.length;
    writeFileSync(path, `${previous.slice(0, at).trimEnd()}\n\n${section}\n${previous.slice(at)}`);
    return;
  }
  const next = previous.indexOf('\n## ', start + BUNDLES_HEADING.length);
  writeFileSync(path, `${previous.slice(0, start)}${section}${next >= 0 ? previous.slice(next) : ''}`);
};

if (process.argv[1]?.endsWith('bundles-section.ts')) {
  benchBundles(BUNDLE_ROUNDS).then(
    (rows) => {
      const section = bundlesSection(rows, BUNDLE_ROUNDS);
      spliceInto('BENCHMARKS.md', section);
      console.log(section);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
