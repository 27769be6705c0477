import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { markerTtlDays } from '../events/event-time.ts';
import { DEFAULT_LATENESS_DAYS } from '../events/validate.ts';
import { monthlyCost } from './cost-model.ts';
import { type DesignRun, runFloor, runNaiveDesign, runStreamDesign } from './ingest-designs.ts';
import { Shape, type ShapeName, shapedEvents } from './ingest-shapes.ts';
import { writeSection } from './report-sections.ts';
import { ledgerTotals, type RequestLedger } from './request-ledger.ts';

export const ISSUE12_HEADING = '## Ingestion since counting moved to the stream (issue 12)';

const Design = {
  stream10: 'stream design, batch 10',
  stream100: 'stream design, batch 100',
  stream1000: 'stream design, batch 1000',
  naive: 'naive: Powertools idempotency + UpdateItem per counter',
  floor: 'floor: one 1-KB PutItem',
} as const;
type DesignName = (typeof Design)[keyof typeof Design];
const Kind = { fresh: 'new events', resent: 're-sent duplicates' } as const;
type KindName = (typeof Kind)[keyof typeof Kind];

interface Figures {
  readonly recording: number;
  readonly counting: number;
  readonly total: number;
  readonly requests: number;
  readonly readUnits: number;
  readonly streamReads: number;
  readonly seconds: number;
}

interface Cell {
  readonly shape: ShapeName;
  readonly kind: KindName;
  readonly design: DesignName;
  readonly runs: DesignRun[];
}

const figuresOf = (run: DesignRun): Figures => {
  const rec = ledgerTotals(run.recording);
  const cnt = run.counting ? ledgerTotals(run.counting) : { requests: 0, writeUnits: 0, readUnits: 0 };
  return {
    recording: rec.writeUnits / run.events,
    counting: cnt.writeUnits / run.events,
    total: (rec.writeUnits + cnt.writeUnits) / run.events,
    requests: (rec.requests + cnt.requests) / run.events,
    readUnits: (rec.readUnits + cnt.readUnits) / run.events,
    streamReads: (run.counting?.streamRequests ?? 0) / run.events,
    seconds: run.seconds,
  };
};

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
/** `median` when every run agrees, else `median (min–max)`. */
const spread = (values: readonly number[], digits: number) => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  const mid = median(values).toFixed(digits);
  return lo === hi ? mid : `${mid} (${lo}–${hi})`;
};

const targetOf = (shape: ShapeName, kind: KindName, design: DesignName): number | undefined => {
  if (kind === Kind.resent) return design.startsWith('stream') ? 1 : undefined;
  if (design !== Design.stream100) return undefined;
  return shape === Shape.live ? 1.25 : 1.4;
};

export interface CostBenchOptions {
  readonly events: number;
  readonly rounds: number;
  readonly nowMs: number;
  /**
   * Run the naive design and the floor on every shape and kind, not only new events of live traffic
   * (slow: ~10 requests an event).
   */
  readonly naiveEverywhere?: boolean;
  /** The shapes to run (`BENCH_COST_SHAPES=live,fiveDays`); all by default. */
  readonly shapes?: readonly ShapeName[];
}

export interface CostBenchResult {
  readonly cells: Cell[];
  readonly options: CostBenchOptions;
}

/**
 * Issue 12's write-cost measurement: each shape × kind's events go through the stream design at
 * batch 10, 100 and 1000, the naive design and the floor, one after the other, and the whole
 * sequence is repeated `rounds` times (A B C A B C …).
 *
 * @example
 * ```ts
 * const result = await benchIngestCost(dynamo.client, { events: 1000, rounds: 2, nowMs });
 * console.log(ingestCostSection(result));
 * ```
 */
export const benchIngestCost = async (
  admin: DynamoDBClient,
  options: CostBenchOptions,
  log: (line: string) => void = () => {},
): Promise<CostBenchResult> => {
  const cells = new Map<string, Cell>();
  const add = (shape: ShapeName, kind: KindName, design: DesignName, run: DesignRun) => {
    const id = `${shape}|${kind}|${design}`;
    const cell = cells.get(id) ?? { shape, kind, design, runs: [] };
    cell.runs.push(run);
    cells.set(id, cell);
    const f = figuresOf(run);
    log(`${shape} · ${kind} · ${design}: ${f.total.toFixed(3)} WCU/event (${run.seconds.toFixed(1)} s)`);
  };
  for (let round = 0; round < options.rounds; round++) {
    for (const shape of options.shapes ?? Object.values(Shape)) {
      const incoming = shapedEvents(shape, options.events, options.nowMs);
      for (const kind of Object.values(Kind)) {
        const resend = kind === Kind.resent;
        for (const [design, batchSize] of [
          [Design.stream10, 10],
          [Design.stream100, 100],
          [Design.stream1000, 1000],
        ] as const) {
          add(
            shape,
            kind,
            design,
            await runStreamDesign(admin, { incoming, batchSize, nowMs: options.nowMs, resend }),
          );
        }
        // The naive design on live traffic only, and its re-sent duplicates only on request: each is
        // ~10 requests an event, and its duplicate's cost (one failed conditional put) is known.
        if (!options.naiveEverywhere && (shape !== Shape.live || resend)) continue;
        add(
          shape,
          kind,
          Design.naive,
          await runNaiveDesign(admin, { incoming, batchSize: 100, nowMs: options.nowMs, resend }),
        );
        if (!resend)
          add(
            shape,
            kind,
            Design.floor,
            await runFloor(admin, { incoming, batchSize: 100, nowMs: options.nowMs, resend }),
          );
      }
    }
  }
  return { cells: [...cells.values()], options };
};

const breakdown = (run: DesignRun): string[] => {
  const rows: string[] = [];
  for (const [side, ledger] of [
    ['recording (aggregate)', run.recording],
    ['counting (counters)', run.counting],
  ] as const) {
    if (!ledger) continue;
    for (const [name, line] of [...(ledger as RequestLedger).lines].sort(
      (a, b) => b[1].writeUnits - a[1].writeUnits,
    )) {
      rows.push(
        `| ${side} | ${name} | ${(line.requests / run.events).toFixed(3)} | ${(line.items / run.events).toFixed(3)} | ${line.failedItems > 0 ? line.failedItems : ''} | ${(line.writeUnits / run.events).toFixed(3)} | ${(line.readUnits / run.events).toFixed(3)} |`,
      );
    }
  }
  return rows;
};

const find = (result: CostBenchResult, shape: ShapeName, kind: KindName, design: DesignName) =>
  result.cells.find((c) => c.shape === shape && c.kind === kind && c.design === design);

/** Average bytes of a recorded event item as written, or undefined when none was written. */
const recordedBytes = (run: DesignRun): number | undefined => {
  const line = run.recording.lines.get('BatchWriteItem recorded event');
  return line && line.items > 0 ? line.bytes / line.items : undefined;
};

const dollars = (value: number) => `$${Math.round(value).toLocaleString('en')}`;

const costTable = (result: CostBenchResult): string => {
  const live = find(result, Shape.live, Kind.fresh, Design.stream100);
  const run = live?.runs[0];
  if (!run) return 'Not run.';
  const f = figuresOf(run);
  const ttlDays = markerTtlDays(DEFAULT_LATENESS_DAYS);
  const bytes = (recordedBytes(run) ?? 0) + 100;
  const after = monthlyCost({
    eventsPerMonth: 1e9,
    writeUnitsPerEvent: median(live.runs.map((r) => figuresOf(r).total)),
    readUnitsPerEvent: f.readUnits,
    storedBytesPerEvent: bytes,
    ttlDays,
    sqsRequestsPerEvent: 1.2,
    lambdas: [
      { name: 'aggregate', eventsPerInvocation: 100, msPerInvocation: 300, memoryMb: 1024 },
      { name: 'counters', eventsPerInvocation: 300, msPerInvocation: 300, memoryMb: 1024 },
    ],
  });
  // Before (transactions, issue 12's measurement): 2.47 WCU/event live at batch 100, a ~100-byte
  // dedupe marker per event for the same TTL, one aggregate function doing all the work.
  const before = monthlyCost({
    eventsPerMonth: 1e9,
    writeUnitsPerEvent: 2.47,
    readUnitsPerEvent: 0,
    storedBytesPerEvent: 200,
    ttlDays,
    sqsRequestsPerEvent: 1.2,
    lambdas: [{ name: 'aggregate', eventsPerInvocation: 100, msPerInvocation: 600, memoryMb: 1024 }],
  });
  const rows = after.map((line) => {
    const was = before.find((b) => b.item === line.item);
    const wasText = line.item === 'DynamoDB reads' ? 'not in the issue' : was ? dollars(was.dollars) : '–';
    return `| ${line.item} | ${wasText} | ${dollars(line.dollars)} | ${line.basis} |`;
  });
  const sum = (lines: typeof after) => lines.reduce((s, l) => s + l.dollars, 0);
  rows.push(`| **total** | **${dollars(sum(before))}** (issue: ~$3,100) | **${dollars(sum(after))}** | |`);
  return [
    '| 1 billion events a month | before (transactions) | after (stream design, live, batch 100) | basis of "after" |',
    '|---|---:|---:|---|',
    ...rows,
  ].join('\n');
};

/**
 * The BENCHMARKS.md section of a cost run.
 *
 * @example
 * ```ts
 * writeFileSync('section.md', ingestCostSection(result));
 * ```
 */
export const ingestCostSection = (result: CostBenchResult, command: string): string => {
  const rows: string[] = [];
  for (const shape of Object.values(Shape)) {
    for (const kind of Object.values(Kind)) {
      for (const design of Object.values(Design)) {
        const cell = find(result, shape, kind, design);
        if (!cell) continue;
        const fs = cell.runs.map(figuresOf);
        const target = targetOf(shape, kind, design);
        const total = median(fs.map((f) => f.total));
        const verdict = target === undefined ? '' : `≤ ${target}: ${total <= target ? 'met' : '**missed**'}`;
        rows.push(
          `| ${shape} | ${kind} | ${design} | ${spread(
            fs.map((f) => f.recording),
            3,
          )} | ${spread(
            fs.map((f) => f.counting),
            3,
          )} | ${spread(
            fs.map((f) => f.total),
            3,
          )} | ${verdict} | ${spread(
            fs.map((f) => f.requests),
            3,
          )} | ${spread(
            fs.map((f) => f.readUnits),
            3,
          )} | ${spread(
            fs.map((f) => f.streamReads),
            4,
          )} | ${spread(
            fs.map((f) => f.seconds),
            1,
          )} |`,
        );
      }
    }
  }
  const header =
    '| side | request and item kind | requests/event | items/event | condition failed | WCU/event | RRU/event |\n|---|---|---:|---:|---:|---:|---:|';
  /** A breakdown subsection, left out when its row did not run (`BENCH_COST_SHAPES`). */
  const detail = (title: string, shape: ShapeName, kind: KindName, design: DesignName) => {
    const run = find(result, shape, kind, design)?.runs[0];
    return run ? `### ${title}\n\n${header}\n${breakdown(run).join('\n')}\n\n` : '';
  };
  const liveRun = find(result, Shape.live, Kind.fresh, Design.stream100)?.runs[0];
  const bytes = liveRun ? recordedBytes(liveRun) : undefined;
  return `${ISSUE12_HEADING}

Produced by \`${command}\` (\`BENCH_COST_EVENTS=${result.options.events}\` events per shape,
\`BENCH_COST_ROUNDS=${result.options.rounds}\` rounds; more rounds with the env var). Every DynamoDB request
of each function goes through a request-logging SDK middleware (\`bench/request-ledger.ts\`) and is
priced by DynamoDB's published rules (\`bench/write-units.ts\`, pinned by
\`test/unit/write-units.test.ts\`): a standard write 1 WCU per started KB of the larger of the item
before and after it (the ledger reads the item around the write, or asks DynamoDB to return it), each
BatchWriteItem item as a PutItem, a transactional write 2 WCU per KB, a write whose condition fails
charged all the same; reads 1 RRU per 4 KB (half when eventually consistent, a missing key at the
minimum). DynamoDB Local's own consumed-capacity figures are not used.

The events: ${result.options.events} of the demo fleet's (six workflows, 97 returning users, usage,
outcomes and reviews in the fleet's proportions, about 16 % reviews), squeezed into one hour (live),
five days or five weeks before a fixed clock. Before new events are measured, one event per workflow,
reason code and variant is sent under another id through the same aggregate instance (the workflows,
their reason codes and variants are registered and known to the instance, as in steady traffic, so
their one-time registry writes are not charged to the events measured); re-sent duplicates are the same
events sent a second time after the first sending was counted. The stream design's aggregate records
them in SQS batches of 10, 100 or 1000 (countBatch: BatchGetItem, BatchWriteItem); the counters
function is then driven through DynamoDB Local's real stream by the local stream poller
(\`startLocalCounting\`), as the stack's mapping delivers it when traffic fills its one-second window
(batches of up to 1,000 records). The naive design and the floor run on the same events in the same
round. Each round runs every row once (A B C … A B C …); a figure is the median, with (min–max)
when the rounds differ. Seconds are wall-clock with the ledger's extra reads, on a shared 2-core
machine: not a throughput figure (see the next table).

| shape | kind | design | recording WCU/event | counting WCU/event | total WCU/event | target | requests/event | RRU/event | stream reads/event | seconds |
|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|
${rows.join('\n')}

- **Stream reads** (GetRecords, GetShardIterator, DescribeStream by the counters function's poller)
  are free on AWS when a Lambda trigger reads the stream; they are counted here, not priced.
- The naive design keeps no users sketch and no override trail: it is a lower bound of a naive design
  that did the same work. A naive duplicate costs its conditional PutItem, charged though it fails.

${detail('Where the units go: live traffic, new events, batch 100', Shape.live, Kind.fresh, Design.stream100)}${detail('Five days, new events, batch 100', Shape.fiveDays, Kind.fresh, Design.stream100)}${detail('Five weeks, new events, batch 100', Shape.fiveWeeks, Kind.fresh, Design.stream100)}${detail('Live traffic, re-sent duplicates, batch 100', Shape.live, Kind.resent, Design.stream100)}${detail('The naive design, live traffic, new events', Shape.live, Kind.fresh, Design.naive)}### Cost of 1 billion events a month, before and after

A recorded event item averages ${bytes === undefined ? 'unknown' : Math.round(bytes)} bytes on this mix (plus DynamoDB's
100 bytes of overhead per item) and lives ${markerTtlDays(DEFAULT_LATENESS_DAYS)} days (\`markerTtlDays\`: the lateness window,
redrive and a safety margin). Prices: us-east-1 list prices (\`bench/cost-model.ts\`; AWS's pricing pages are
not reachable from the benchmark machine: the DynamoDB figures were checked on 2026-12-07 against
published summaries of the November 2024 on-demand price cut, the others are the long-standing list
prices). DynamoDB on-demand
$0.625 per million write and $0.125 per million read request units, $0.25 per GB-month; EventBridge custom events $1.00 per million; SQS standard $0.40 per million
requests; Lambda arm64 $0.20 per million requests and $0.0000133334 per GB-second. Free tiers are left
out. Lambda durations are assumptions, not measurements.

${costTable(result)}
`;
};

/**
 * Runs the write-cost benchmark on a DynamoDB Local of its own; returns its BENCHMARKS.md section (the
 * caller writes it). `BENCH_COST_EVENTS` (default 3,000) events per shape, `BENCH_COST_ROUNDS` (default 1)
 * rounds, `BENCH_COST_SHAPES` (default `live,fiveDays`, the goals' shapes; `fiveWeeks` is slow).
 */
export const runIngestCostBench = async (log: (line: string) => void = console.log): Promise<string> => {
  const { startDynamoDbLocal } = await import('../infra/local/dynamodb-local.ts');
  const { freePort } = await import('../test/support/free-port.ts');
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  try {
    const result = await benchIngestCost(
      dynamo.client,
      {
        events: Number(process.env.BENCH_COST_EVENTS ?? 3000),
        rounds: Number(process.env.BENCH_COST_ROUNDS ?? 1),
        naiveEverywhere: process.env.BENCH_COST_NAIVE_EVERYWHERE === '1',
        shapes: (process.env.BENCH_COST_SHAPES ?? 'live,fiveDays').split(',').map((name) => {
          const shape = Shape[name as keyof typeof Shape];
          if (!shape)
            throw new Error(`BENCH_COST_SHAPES: no shape ${name} (${Object.keys(Shape).join(', ')})`);
          return shape;
        }),
        nowMs: Date.parse('2026-11-25T12:00:00Z'),
      },
      log,
    );
    return ingestCostSection(result, 'npx tsx bench/ingest-cost.bench.ts');
  } finally {
    await dynamo.stop();
  }
};

// `npx tsx bench/ingest-cost.bench.ts` runs this benchmark alone and rewrites its BENCHMARKS.md section.
if (process.argv[1]?.endsWith('ingest-cost.bench.ts')) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const section = await runIngestCostBench();
  writeSection(ISSUE12_HEADING, section);
  console.log(section);
}
