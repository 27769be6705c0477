import { randomInt } from 'node:crypto';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LATENESS_DAYS, RejectionCode, validateEvent } from '../../events/validate.ts';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { catalogGovernance } from '../../shared/ingest/admission.ts';
import { readRange } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import type { QuarantineEntry } from '../../shared/store/port.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, dayKey, floorTo } from '../../shared/time.ts';
import { type Counting, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { type FuzzCase, fuzzCase } from '../support/fuzz-events.ts';
import { addAccepted, differences, emptyOracleTotals, type OracleTotals } from '../support/fuzz-oracle.ts';
import { sqsRecordOf } from '../support/sqs-redelivery.ts';

/**
 * Fuzzing the counting path (docs/counting.md, "Testing the guarantees"): generated and mutated
 * events, in batches of 100, through the real aggregate handler into DynamoDB Local.
 *
 *   YARDSTICK_FUZZ_EVENTS=100000 npx vitest run test/integration/fuzz.test.ts
 *   YARDSTICK_SEED=<seed printed by a failure> npx vitest run test/integration/fuzz.test.ts
 */
// 2,000 by default: every batch is now recorded, then counted from the stream, which the suite waits for.
const EVENTS = Number(process.env.YARDSTICK_FUZZ_EVENTS ?? 2_000);
const SEED = process.env.YARDSTICK_SEED ?? String(randomInt(1, 2 ** 31));
const BATCH = 100;
/** Batches in flight at once; each has workflows of its own. */
const CONCURRENCY = 6;
const REJECTION_CODES = new Set<string>(Object.values(RejectionCode));

const catalog = parseCatalog({ version: 1 }, 'test catalog');
const logger = createLogger('fuzz');

/** What the contract says of a case: accepted (with its detail as delivered), or refused and why. */
const verdictOf = (c: FuzzCase, nowMs: number) => {
  let json: unknown;
  try {
    json = JSON.parse(c.body);
  } catch {
    return { accepted: false as const, code: RejectionCode.invalidJson };
  }
  const envelope = EventBridgeSchema.safeParse(json);
  if (!envelope.success) return { accepted: false as const, code: RejectionCode.invalidEnvelope };
  const { 'detail-type': detailType, source, detail, time } = envelope.data;
  const result = validateEvent(
    { detailType, source, detail, arrivedAtMs: Date.parse(time) },
    { nowMs, latenessMs: DEFAULT_LATENESS_DAYS * DAY_MS },
  );
  if (!result.ok) return { accepted: false as const, code: result.rejection.code };
  return { accepted: true as const, detailType, detail: detail as Record<string, unknown> };
};

describe('fuzz: generated and mutated events never crash the counting path nor get counted when invalid', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  // Counts follow recording through the table's stream; readers wait for it (settledFirst).
  let streamCounting: Counting;
  beforeAll(async () => {
    table = await createTestTable();
    streamCounting = startCounting(table);
  });
  afterAll(async () => {
    await streamCounting?.stop();
    await table.drop();
  });

  it(
    `counts exactly the valid ones of ${EVENTS} fuzzed events and quarantines every other one with its reason`,
    async () => {
      // Prepare: one clock for the handler, the quarantine's day and the oracle.
      const nowMs = Date.now();
      const store = new DynamoDbMetricsStore({
        client: table.clientOf('aggregate'),
        tableName: table.tableName,
        now: () => nowMs,
      });
      const handler = createAggregateHandler({
        store,
        price: catalog.price,
        logger,
        governance: catalogGovernance(catalog, 1_000_000),
        now: () => nowMs,
      });
      const batches = Array.from({ length: Math.ceil(EVENTS / BATCH) }, (_, b) => {
        const workflows = [0, 1, 2].map((k) => `fz-${SEED}-${b}-${k}`);
        return Array.from({ length: Math.min(BATCH, EVENTS - b * BATCH) }, (_, i) =>
          fuzzCase(SEED, b * BATCH + i, workflows, nowMs),
        );
      });

      // Act
      const crashes: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const batch = batches[next++] ?? [];
          const event = { Records: batch.map((c) => sqsRecordOf({ ...c, receiveCount: 1 })) };
          try {
            const { batchItemFailures } = await handler(event, localLambdaContext('yardstick-aggregate'));
            if (batchItemFailures.length > 0)
              crashes.push(`batchItemFailures: ${JSON.stringify(batchItemFailures)}`);
          } catch (error) {
            crashes.push(`handler threw: ${(error as Error).stack}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      // Counts follow recording through the stream: wait for it once, then read as the API does.
      await streamCounting.settle();
      const reader = new DynamoDbMetricsStore({
        client: table.clientOf('api'),
        tableName: table.tableName,
        now: () => nowMs,
      });
      const quarantined = (await reader.listQuarantine(dayKey(nowMs), { limit: EVENTS * 2 })).entries;

      // Assess
      const cases = batches.flat();
      const verdicts = cases.map((c) => verdictOf(c, nowMs));
      const describe = (c: FuzzCase) => `#${c.n} [${c.mutations.join('; ')}] expected ${c.expect}`;
      expect(crashes, `seed ${SEED}`).toEqual([]);

      // The generator's own prediction agrees with the contract wherever it makes one.
      const disagreements = cases.flatMap((c, i) => {
        const verdict = verdicts[i];
        const actual = verdict?.accepted ? 'valid' : verdict?.code;
        if (c.expect === 'unsure' || c.expect === actual) return [];
        if (c.expect === 'invalid' && actual !== 'valid') return [];
        return [`${describe(c)}, contract says ${actual}`];
      });
      expect(disagreements.slice(0, 10), `seed ${SEED}`).toEqual([]);

      // Every refused case is quarantined once, with a known code and a reason; no accepted one is.
      const entries = new Map<number, QuarantineEntry[]>();
      for (const entry of quarantined) {
        const n = Number(/fz(\d+)x/.exec(entry.id)?.[1] ?? -1);
        entries.set(n, [...(entries.get(n) ?? []), entry]);
      }
      const misfiled = cases.flatMap((c, i) => {
        const verdict = verdicts[i];
        const found = entries.get(c.n) ?? [];
        if (verdict?.accepted)
          return found.length === 0
            ? []
            : [`${describe(c)}: accepted but quarantined ${JSON.stringify(found)}`];
        const [entry] = found;
        if (found.length !== 1 || !entry) return [`${describe(c)}: ${found.length} quarantine entries`];
        const { code, message } = entry.rejection;
        if (!REJECTION_CODES.has(code) || code !== verdict?.code || message.length === 0)
          return [`${describe(c)}: quarantined ${code} (${message}), contract says ${verdict?.code}`];
        return [];
      });
      expect(misfiled.slice(0, 10), `seed ${SEED}`).toEqual([]);
      expect(entries.has(-1), 'a quarantine entry names no case').toBe(false);

      // The counters hold exactly the accepted events, summed independently of the counting path.
      const expected = new Map<string, OracleTotals>();
      cases.forEach((_, i) => {
        const verdict = verdicts[i];
        if (!verdict?.accepted) return;
        const workflowId = verdict.detail.workflowId as string;
        const totals = expected.get(workflowId) ?? emptyOracleTotals();
        addAccepted(totals, verdict.detailType, verdict.detail);
        expected.set(workflowId, totals);
      });
      const to = floorTo(nowMs, DAY_MS) + DAY_MS;
      const wrong: string[] = [];
      for (const [workflowId, totals] of expected) {
        const { total } = await readRange(reader, {
          workflowId,
          fromMs: to - 2 * DAY_MS,
          toMs: to,
          granularity: 'day',
        });
        for (const line of differences(total, totals)) wrong.push(`${workflowId}: ${line}`);
      }
      const accepted = verdicts.filter((v) => v.accepted).length;
      console.info(
        `fuzz seed ${SEED}: ${cases.length} events, ${accepted} counted, ${cases.length - accepted} quarantined`,
      );
      expect(wrong.slice(0, 10), `seed ${SEED}`).toEqual([]);
      expect(accepted).toBeGreaterThan(cases.length / 5);
      expect(cases.length - accepted).toBeGreaterThan(cases.length / 5);
    },
    Math.max(300_000, EVENTS * 150),
  );
});
