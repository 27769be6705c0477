import { availableParallelism, loadavg } from 'node:os';
import { MAX_BUNDLE_BYTES } from '../infra/constructs/bundling.ts';
import { type BundleFigures, benchBundles, type Spread } from './bundles.bench.ts';
import { writeSection } from './report-sections.ts';

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
export const bundlesSection = (
  rows: readonly BundleFigures[],
  rounds: number,
  // Timings scale with what else the machine runs; the figure lets a reader compare runs.
  load = `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs at the end of the run`,
): string => `${BUNDLES_HEADING}

Each function built four ways from today's sources: **deployed** (the construct's esbuild options,
\`infra/constructs/bundling.ts\`: the AWS SDK taken from the Lambda runtime, code split so that the
function's wiring, \`functions/*/wiring.ts\`, loads with the first event), **eager** (the deployed build
before first-call loading: one file, every \`import()\` of our own modules made static, the SDK
imported rather than required), **SDK bundled** (deployed with the SDK inside the bundle) and **before** issue 12 (eager, the
SDK bundled, \`import { z } from 'zod'\`, Powertools' EventBridge envelope schema and license comments
inline; a build plugin, \`bench/bundle-baseline.ts\`, turns today's sources back). **Cold import** is
a fresh \`node\` process importing \`index.mjs\` (Lambda's init phase); **first call** is the same
process then importing the \`wiring\` chunk, which is what the first event waits for before the
handler runs (equal to the import for one-file builds). The SDK of the runtime-SDK builds comes from
a \`node_modules\` beside them as Lambda's runtime provides it. ${rounds} rounds interleaved A B C D
after one warm-up each, median (min–max); ${load}. Sizes are all JavaScript of the asset, minified (cold-start
part in brackets: \`index.mjs\` and the chunks it imports statically); the limit is
${kb(MAX_BUNDLE_BYTES)} for all of it, held by \`test/infra/bundle-size.test.ts\`. Run alone with
\`npx tsx bench/bundles-section.ts\`.

| function | deployed | eager | SDK bundled | before |
|---|---:|---:|---:|---:|
${rows
  .map(
    ({ name, bytes, coldStartBytes }) =>
      `| ${name} | ${kb(bytes.deployed)} (${kb(coldStartBytes.deployed)}) | ${kb(bytes.eager)} | ${kb(bytes.sdkBundled)} (${kb(coldStartBytes.sdkBundled)}) | ${kb(bytes.before)} |`,
  )
  .join('\n')}

| function | cold import, deployed | eager | SDK bundled | before | deployed vs before | eager vs before | SDK bundled vs before |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows
  .map(
    ({ name, importMs }) =>
      `| ${name} | ${ms(importMs.deployed)} | ${ms(importMs.eager)} | ${ms(importMs.sdkBundled)} | ${ms(importMs.before)} | ${ratio(importMs.deployed, importMs.before)} | ${ratio(importMs.eager, importMs.before)} | ${ratio(importMs.sdkBundled, importMs.before)} |`,
  )
  .join('\n')}

| function | first call, deployed | eager | SDK bundled | before | deployed vs before | SDK bundled vs before |
|---|---:|---:|---:|---:|---:|---:|
${rows
  .map(
    ({ name, firstCallMs }) =>
      `| ${name} | ${ms(firstCallMs.deployed)} | ${ms(firstCallMs.eager)} | ${ms(firstCallMs.sdkBundled)} | ${ms(firstCallMs.before)} | ${ratio(firstCallMs.deployed, firstCallMs.before)} | ${ratio(firstCallMs.sdkBundled, firstCallMs.before)} |`,
  )
  .join('\n')}

See docs/functions.md, "Bundles", for the choice between deployed and SDK bundled.
`;

if (process.argv[1]?.endsWith('bundles-section.ts')) {
  benchBundles(BUNDLE_ROUNDS).then(
    (rows) => {
      const section = bundlesSection(rows, BUNDLE_ROUNDS);
      writeSection(BUNDLES_HEADING, section);
      console.log(section);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
