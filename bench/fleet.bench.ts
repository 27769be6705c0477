import { cpus, loadavg } from 'node:os';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { WorkflowEvent } from '../events/schemas.ts';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { parseCatalog } from '../shared/catalog/load.ts';
import { collectWorkflowWeeks } from '../shared/digest/collect.ts';
import { produceDigest } from '../shared/digest/produce.ts';
import {
  type Counters,
  deltaFromEvent,
  emptyCounters,
  mergeCounters,
  noPrices,
  userToken,
} from '../shared/metrics/counters.ts';
import { listWorkflows } from '../shared/query/workflow-list.ts';
import { DynamoDbMetricsStore } from '../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { FLEET_SHARDS, Keys } from '../shared/store/dynamodb/keys.ts';
import { type SeededCounts, seedCountedFleet } from '../test/support/fleet-seed.ts';
import { freePort } from '../test/support/free-port.ts';
import { countRequests } from '../test/support/request-count.ts';
import { itemSizeBytes } from './item-size.ts';
import { writeSection } from './report-sections.ts';

/** The section's heading in BENCHMARKS.md; a run replaces the section under it. */
export const FLEET_HEADING = '## Fleet reads';

const WORKFLOWS = Number(process.env.BENCH_FLEET_WORKFLOWS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 3);
// Wednesday of 2026-W49: the digest reports on 2026-W48 against 2026-W47; the list's last 7 days are Nov 26 – Dec 2.
const NOW_MS = Date.parse('2026-12-02T12:00:00Z');
const WEEK = '2026-W48';
const WEEKS = [
  { week: '2026-W47', occurredAt: '2026-11-18T09:00:00.000Z' },
  { week: WEEK, occurredAt: '2026-11-27T09:00:00.000Z' },
] as const;
/** One workflow in this many runs variants (`ai` against a `human` baseline). */
const VARIANTS_EVERY = 50;

const idOf = (i: number) => `wf-${String(i).padStart(5, '0')}`;

const eventOf = (kind: string, workflowId: string, occurredAt: string, detail: Record<string, unknown>) =>
  ({
    kind,
    source: 'bench',
    detail: { schemaVersion: 1, eventId: 'e', workflowId, occurredAt, ...detail },
  }) as WorkflowEvent;

/** Adds `delta` `times` times: the counters of many alike events, without building each. */
const times = (delta: Counters, k: number): Counters => {
  const out = emptyCounters();
  mergeCounters(out, delta);
  const n = BigInt(k);
  for (const field of Object.keys(out.values) as Array<keyof Counters['values']>) out.values[field] *= n;
  for (const map of [out.latency, out.reasons, out.pricedBy])
    for (const [key, v] of map) map.set(key as never, v * n);
  return out;
};

/**
 * Workflow i's week as many events would have counted it: 40–840 runs with usage, durations and
 * value, reviews with an override reason, and 3–42 distinct users (one workflow in ten: 150, past
 * the sketch's exact range).
 */
const weekOf = (i: number, w: number, occurredAt: string): Counters => {
  const workflowId = idOf(i);
  const runs = 40 + ((i * 7919 + w * 131) % 800);
  const at = (kind: string, detail: Record<string, unknown>) =>
    deltaFromEvent(eventOf(kind, workflowId, occurredAt, detail), noPrices);
  const week = emptyCounters();
  mergeCounters(
    week,
    times(
      at('ai.workflow.usage', {
        model: 'gpt-4o',
        inputTokens: 1_200 + (i % 500),
        outputTokens: 300,
        costUsd: 0.004,
        latencyMs: 900 + (i % 2_000),
      }),
      runs,
    ),
  );
  mergeCounters(
    week,
    times(
      at('ai.workflow.outcome', {
        status: 'succeeded',
        durationMs: 60_000 + (i % 900) * 100,
        valueUsd: 2.5,
        minutesSaved: 6,
      }),
      Math.round(runs * 0.93),
    ),
  );
  mergeCounters(
    week,
    times(
      at('ai.workflow.outcome', { status: 'failed', durationMs: 30_000 }),
      runs - Math.round(runs * 0.93),
    ),
  );
  mergeCounters(
    week,
    times(at('ai.workflow.override', { decision: 'accepted', reviewMs: 20_000 }), Math.round(runs * 0.5)),
  );
  mergeCounters(
    week,
    times(
      at('ai.workflow.override', {
        decision: 'edited',
        reasonCode: ['tone', 'facts', 'format'][i % 3],
        reviewMs: 45_000,
      }),
      Math.round(runs * 0.06),
    ),
  );
  const users = i % 10 === 0 ? 150 : 3 + (i % 40);
  for (let u = 0; u < users; u++) week.users.add(userToken(`user-${i}-${u}`));
  return week;
};

/** The whole fleet's two weeks, split by variant for the workflows that run them. */
const fleetCounts = (): SeededCounts[] =>
  Array.from({ length: WORKFLOWS }, (_, i) =>
    WEEKS.flatMap(({ occurredAt }, w): SeededCounts[] => {
      const counters = weekOf(i, w, occurredAt);
      if (i % VARIANTS_EVERY !== 0) return [{ workflowId: idOf(i), occurredAt, counters }];
      const human = times(counters, 1);
      // A human-only arm: its runs with no usage, slower.
      human.values.usageEvents = 0n;
      human.values.durationMsSum *= 3n;
      return [
        { workflowId: idOf(i), occurredAt, counters, variant: 'ai' },
        { workflowId: idOf(i), occurredAt, counters: human, variant: 'human' },
      ];
    }),
  ).flat();

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export interface FleetFigures {
  readonly workflows: number;
  /** The machine's one-minute load average when the reads were measured (2 cores here). */
  readonly loadAverage: number;
  readonly seededItems: number;
  readonly seedSeconds: number;
  readonly list: { readonly limit: number; readonly requests: number; readonly ms: number[] }[];
  readonly digest: {
    readonly requests: number;
    readonly queries: number;
    readonly ms: number[];
    readonly collectMs: number[];
    readonly htmlKb: number;
  };
  readonly fleetItemBytes: { readonly totals: number; readonly users: number; readonly pagesPerWeek: number };
}

/**
 * Seeds a fleet of {@link WORKFLOWS} workflows × 2 weeks in DynamoDB Local and measures the requests
 * and time of GET /workflows (one page) and of the whole weekly digest (read, built, rendered).
 *
 * @example
 * ```ts
 * const figures = await benchFleet();
 * ```
 */
export const benchFleet = async (): Promise<FleetFigures> => {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  try {
    const tableName = 'fleet-bench';
    await ensureTable(dynamo.client, tableName);
    const catalog = parseCatalog(
      {
        version: 1,
        workflows: Array.from({ length: WORKFLOWS }, (_, i) => ({
          id: idOf(i),
          name: `${['Invoice', 'Support', 'Contract', 'Claims', 'Onboarding'][i % 5]} ${['triage', 'assistant', 'summaries', 'review'][i % 4]} ${i}`,
          ownerTeam: ['Finance Operations', 'Customer Support', 'Legal', 'People'][i % 4],
          stage: i % 3 === 0 ? 'pilot' : 'production',
          valuePerSuccessUsd: 0.5 + (i % 10) * 0.5,
          ...(i % VARIANTS_EVERY === 0 ? { baselineVariant: 'human', laborCostPerHourUsd: 60 } : {}),
        })),
      },
      'fleet-bench-catalog.json',
    );
    const seedStart = performance.now();
    const { items } = await seedCountedFleet(
      dynamo.client,
      tableName,
      fleetCounts(),
      '2026-11-01T00:00:00.000Z',
      {
        hours: false,
      },
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const requests = countRequests(dynamo.client);
    const store = new DynamoDbMetricsStore({ client: dynamo.client, tableName });
    const list = [];
    for (const limit of [50, 200]) {
      const ms: number[] = [];
      let count = 0;
      for (let round = 0; round < ROUNDS; round++) {
        requests.reset();
        const start = performance.now();
        await listWorkflows(store, catalog, NOW_MS, { limit });
        ms.push(performance.now() - start);
        count = requests.total();
      }
      list.push({ limit, requests: count, ms });
    }
    const collectMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const start = performance.now();
      await collectWorkflowWeeks(store, catalog, WEEK);
      collectMs.push(performance.now() - start);
    }
    const digestMs: number[] = [];
    let digestRequests = 0;
    let queries = 0;
    let htmlKb = 0;
    for (let round = 0; round < ROUNDS; round++) {
      requests.reset();
      const start = performance.now();
      const digest = await produceDigest(store, catalog, WEEK, NOW_MS);
      digestMs.push(performance.now() - start);
      digestRequests = requests.total();
      queries = requests.byCommand.get('QueryCommand') ?? 0;
      htmlKb = Buffer.byteLength(digest.html) / 1024;
    }
    // The rollup's item sizes by DynamoDB's rules, from one fleet partition of the week.
    const { Items = [] } = await dynamo.client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: Keys.fleetWeek(WEEK, 0) } },
        Limit: 400,
      }),
    );
    const sizes = (suffix: (sk: string) => boolean) =>
      median(Items.filter((item) => suffix(item.sk?.S ?? '')).map(itemSizeBytes));
    const totals = sizes((sk) => !sk.includes('#'));
    const users = sizes((sk) => sk.endsWith('#U'));
    return {
      workflows: WORKFLOWS,
      loadAverage: loadavg()[0] ?? Number.NaN,
      seededItems: items,
      seedSeconds,
      list,
      digest: { requests: digestRequests, queries, ms: digestMs, collectMs, htmlKb },
      fleetItemBytes: {
        totals,
        users,
        pagesPerWeek: Math.ceil((WORKFLOWS * (totals + users)) / 1024 / 1024),
      },
    };
  } finally {
    await dynamo.stop();
  }
};

const spread = (ms: readonly number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const s = (v = Number.NaN) => (v / 1000).toFixed(2);
  return `${s(median(ms))} s (${s(sorted[0])}–${s(sorted.at(-1))})`;
};

/** The "Fleet reads" section of BENCHMARKS.md. */
export const fleetSection = (f: FleetFigures): string => `${FLEET_HEADING}

GET /workflows and the weekly digest on a fleet of ${f.workflows.toLocaleString('en')} catalogued workflows × 2 weeks
(2026-W47 and 2026-W48; one workflow in ${VARIANTS_EVERY} runs an \`ai\` variant against a \`human\` baseline), in
an in-memory DynamoDB Local, every \`send\` counted by SDK middleware (SDK retries not). The fleet was
seeded in bulk, not through the counters function (which would take an hour here): the items counting
would leave, keys from \`counterItemsOf\` / \`sketchItemsOf\` and deltas summed per item
(\`test/support/fleet-seed.ts\`), ${f.seededItems.toLocaleString('en')} items by BatchWriteItem in ${f.seedSeconds.toFixed(0)} s;
hour items left out, as neither read touches them. \`test/integration/fleet-reads.test.ts\` checks
through the counters function that the rollup equals the workflows' own items. ${ROUNDS} rounds, median
(min–max), ${cpus().length} cores at a load average of ${f.loadAverage.toFixed(1)} (other suites ran beside it). Run alone with \`npx tsx bench/fleet.bench.ts\` (\`BENCH_FLEET_WORKFLOWS\`, \`BENCH_FLEET_ROUNDS\`).

| read | DynamoDB requests | time |
|---|---:|---:|
${f.list.map((l) => `| GET /workflows, one page of ${l.limit} | ${l.requests} | ${spread(l.ms)} |`).join('\n')}
| the digest's read alone (\`collectWorkflowWeeks\`) | ${f.digest.requests} | ${spread(f.digest.collectMs)} |
| weekly digest, read + built + rendered (HTML ${f.digest.htmlKb.toFixed(1)} KB) | ${f.digest.requests} (${f.digest.queries} Queries) | ${spread(f.digest.ms)} |

- Before the rollup (issue 12): GET /workflows read 2 Queries per workflow of the page and the
  registry page by page; the digest read 2–4 Queries per workflow of the fleet (4,017 for 1,004).
- The digest reads 4 weeks (the adoption trend's) × ${FLEET_SHARDS} fleet partitions, each a paged Query. A
  workflow's week is a totals item of ${f.fleetItemBytes.totals} bytes and a users sketch of ${f.fleetItemBytes.users}
  (medians here), so a week of this fleet is about ${f.fleetItemBytes.pagesPerWeek} MB: Query pages of 1 MB, about
  ${Math.floor((1024 * 1024) / (f.fleetItemBytes.totals + f.fleetItemBytes.users)).toLocaleString('en')} workflows each. The count is ${4 * FLEET_SHARDS} Queries plus one per further MB read.
- GET /workflows reads one registry page and the page's day items and sketches (7 days × 2 per
  workflow) by BatchGetItem, 100 keys a call: 1 + ⌈14 × limit / 100⌉ requests whatever the fleet's size.
`;

/** Measures the fleet reads; returns their BENCHMARKS.md section (the caller writes it). */
export const runFleetBench = async (): Promise<string> => fleetSection(await benchFleet());

if (process.argv[1]?.endsWith('fleet.bench.ts')) {
  runFleetBench()
    .then((section) => {
      writeSection(FLEET_HEADING, section);
      console.log(section);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
