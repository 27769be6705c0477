import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHUNK_DIR } from '../infra/constructs/bundling.ts';
import { PROJECT_ROOT } from '../infra/constructs/function.ts';
import { FUNCTION_NAMES, type FunctionName } from '../shared/config/functions.ts';
import { Variables } from '../shared/config/variables.ts';
import {
  type BundleVariation,
  buildFunctionBundle,
  writeAsOnLambda,
} from '../test/support/function-bundles.ts';
import { BEFORE_ISSUE_12, EAGER_WIRING } from './bundle-baseline.ts';

/** min / median / max of one measurement repeated. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** How a function was built: as deployed, eagerly wired, with the SDK bundled instead, and as before issue 12. */
export const BundleConfigurations = {
  deployed: 'deployed',
  eager: 'eager',
  sdkBundled: 'sdkBundled',
  before: 'before',
} as const;
export type BundleConfiguration = (typeof BundleConfigurations)[keyof typeof BundleConfigurations];

const VARIATIONS: Record<BundleConfiguration, BundleVariation> = {
  deployed: {},
  // The deployed build before wiring moved to the first call: one file, everything at cold start.
  eager: EAGER_WIRING,
  // The alternative weighed in docs/functions.md: today's sources with the SDK inside the bundle.
  sdkBundled: { external: [], plugins: [] },
  before: BEFORE_ISSUE_12,
};

export interface BundleFigures {
  readonly name: FunctionName;
  /** All JavaScript of the asset (`index.mjs` and its chunks). */
  readonly bytes: Record<BundleConfiguration, number>;
  /** What a cold start reads: `index.mjs` and the chunks it imports statically. */
  readonly coldStartBytes: Record<BundleConfiguration, number>;
  /** A fresh process importing `index.mjs`: Lambda's init phase. */
  readonly importMs: Record<BundleConfiguration, Spread>;
  /** The same, then the function's wiring chunk: what the first event waits for before the handler runs. */
  readonly firstCallMs: Record<BundleConfiguration, Spread>;
}

const spreadOf = (values: readonly number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted.at(-1) as number };
};

/**
 * Loads `index.mjs` in a fresh Node process (what a cold start pays before any event), then the
 * chunks named `wiring` (what `onFirstCall` loads for the first event, shared/lambda/first-call.ts).
 * A bundle without such chunks (the baseline) has loaded everything with `index.mjs`.
 */
const coldImportMs = (file: string): { importMs: number; firstCallMs: number } => {
  const script = [
    'const t=performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const i=performance.now()-t;',
    `const fs=await import('node:fs');const dir=${JSON.stringify(join(dirname(file), CHUNK_DIR))};`,
    "for(const f of fs.existsSync(dir)?fs.readdirSync(dir):[])if(/^wiring-.*\\.mjs$/.test(f))await import(dir+'/'+f);",
    'process.stdout.write(JSON.stringify({importMs:i,firstCallMs:performance.now()-t}));',
  ].join('');
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dirname(file),
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [Variables.tableName.name]: 'yardstick',
      [Variables.digestSender.name]: 'digest@example.com',
      [Variables.catalogFile.name]: join(PROJECT_ROOT, 'catalog.json'),
    },
    encoding: 'utf8',
  });
  return JSON.parse(output) as { importMs: number; firstCallMs: number };
};

/**
 * Builds each function as deployed, with the SDK bundled instead, and as before issue 12
 * (`bundle-baseline.ts`), then times cold imports of each, interleaved (A B C A B C …) so that
 * machine noise falls on all alike.
 *
 * @example
 * ```ts
 * for (const row of await benchBundles(7)) console.log(row.name, row.bytes.deployed, row.importMs.deployed.median);
 * ```
 */
export const benchBundles = async (rounds: number): Promise<BundleFigures[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'yardstick-bundles-'));
  const configurations = Object.values(BundleConfigurations);
  try {
    const built = [];
    for (const name of FUNCTION_NAMES) {
      const bytes = {} as Record<BundleConfiguration, number>;
      const coldStartBytes = {} as Record<BundleConfiguration, number>;
      const files = {} as Record<BundleConfiguration, string>;
      for (const configuration of configurations) {
        const bundle = await buildFunctionBundle(name, VARIATIONS[configuration]);
        bytes[configuration] = bundle.bytes;
        coldStartBytes[configuration] = bundle.coldStartBytes;
        files[configuration] = writeAsOnLambda(dir, `${name}-${configuration}`, bundle);
        coldImportMs(files[configuration]); // warms the file cache for every configuration alike
      }
      const series = () =>
        Object.fromEntries(configurations.map((c) => [c, [] as number[]])) as Record<
          BundleConfiguration,
          number[]
        >;
      built.push({ name, bytes, coldStartBytes, files, times: series(), firstCallTimes: series() });
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const { files, times, firstCallTimes } of built) {
        for (const configuration of configurations) {
          const measured = coldImportMs(files[configuration]);
          times[configuration].push(measured.importMs);
          firstCallTimes[configuration].push(measured.firstCallMs);
        }
      }
    }
    const spreads = (series: Record<BundleConfiguration, number[]>) =>
      Object.fromEntries(configurations.map((c) => [c, spreadOf(series[c])])) as Record<
        BundleConfiguration,
        Spread
      >;
    return built.map(({ name, bytes, coldStartBytes, times, firstCallTimes }) => ({
      name,
      bytes,
      coldStartBytes,
      importMs: spreads(times),
      firstCallMs: spreads(firstCallTimes),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
