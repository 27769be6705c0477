import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../infra/constructs/function.ts';
import { FUNCTION_NAMES, type FunctionName } from '../shared/config/functions.ts';
import { Variables } from '../shared/config/variables.ts';
import {
  type BundleVariation,
  buildFunctionBundle,
  writeAsOnLambda,
} from '../test/support/function-bundles.ts';
import { BEFORE_ISSUE_12 } from './bundle-baseline.ts';

/** min / median / max of one measurement repeated. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** How a function was built: as deployed, with the SDK bundled instead, and as before issue 12. */
export const BundleConfigurations = {
  deployed: 'deployed',
  sdkBundled: 'sdkBundled',
  before: 'before',
} as const;
export type BundleConfiguration = (typeof BundleConfigurations)[keyof typeof BundleConfigurations];

const VARIATIONS: Record<BundleConfiguration, BundleVariation> = {
  deployed: {},
  // The alternative weighed in docs/functions.md: today's sources with the SDK inside the bundle.
  sdkBundled: { external: [] },
  before: BEFORE_ISSUE_12,
};

export interface BundleFigures {
  readonly name: FunctionName;
  readonly bytes: Record<BundleConfiguration, number>;
  readonly importMs: Record<BundleConfiguration, Spread>;
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

/** What a cold start pays before the handler runs: a fresh Node process importing the bundle. */
const coldImportMs = (file: string): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
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
  return Number(output);
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
      const files = {} as Record<BundleConfiguration, string>;
      for (const configuration of configurations) {
        const bundle = await buildFunctionBundle(name, VARIATIONS[configuration]);
        bytes[configuration] = bundle.bytes;
        files[configuration] = writeAsOnLambda(dir, `${name}-${configuration}`, bundle);
        coldImportMs(files[configuration]); // warms the file cache for every configuration alike
      }
      const times = Object.fromEntries(configurations.map((c) => [c, [] as number[]]));
      built.push({ name, bytes, files, times: times as Record<BundleConfiguration, number[]> });
    }
    for (let round = 0; round < rounds; round += 1) {
      for (const { files, times } of built) {
        for (const configuration of configurations)
          times[configuration].push(coldImportMs(files[configuration]));
      }
    }
    return built.map(({ name, bytes, times }) => ({
      name,
      bytes,
      importMs: Object.fromEntries(configurations.map((c) => [c, spreadOf(times[c])])) as Record<
        BundleConfiguration,
        Spread
      >,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
