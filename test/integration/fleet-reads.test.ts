import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { collectWorkflowWeeks } from '../../shared/digest/collect.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices } from '../../shared/metrics/counters.ts';
import { listWorkflows } from '../../shared/query/workflow-list.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';
import { startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { type SeededCounts, seedCountedFleet } from '../support/fleet-seed.ts';
import { countRequests, type RequestCount } from '../support/request-count.ts';

// Seeding 400 workflows and counting a dozen through the stream take a few seconds alone, and up to a
// minute while the whole suite shares DynamoDB Local.
const TIMEOUT_MS = 120_000;

// Wednesday of 2026-W49: the digest reports on 2026-W48 (Nov 23–29) against 2026-W47, and the
// list's last 7 days run from Nov 27 to Dec 2.
const NOW_MS = Date.parse('2026-12-02T12:00:00Z');
const WEEK = '2026-W48';
const MAX_REQUESTS = 50;

const idOf = (i: number) => `fleet-${String(i).padStart(4, '0')}`;
// Workflow i: one run in 2026-W47, 1 + i % 3 runs on Nov 27 (2026-W48, within the last 7 days).
const runsThisWeek = (i: number) => 1 + (i % 3);

const outcome = (i: number, eventId: string, occurredAt: string): AcceptedEvent => {
  const event = {
    kind: 'ai.workflow.outcome',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId: idOf(i),
      occurredAt,
      status: 'succeeded',
      userId: `user-${i % 5}`,
      durationMs: 1_000 * (i + 1),
    },
  } as WorkflowEvent;
  return {
    ref: `${idOf(i)}/${eventId}`,
    event,
    fingerprint: eventFingerprint(event),
    delta: deltaFromEvent(event, noPrices),
  };
};

const eventsOf = (i: number): AcceptedEvent[] => [
  outcome(i, 'last-week', '2026-11-18T09:00:00Z'),
  ...Array.from({ length: runsThisWeek(i) }, (_, run) =>
    outcome(i, `run-${run}`, `2026-11-27T10:0${run}:00Z`),
  ),
];

/** Workflow i's week as the counters function would have summed it, for bulk seeding. */
const seededWeeks = (i: number): SeededCounts[] =>
  eventsOf(i).map((accepted) => ({
    workflowId: idOf(i),
    occurredAt: accepted.event.detail.occurredAt,
    counters: accepted.delta,
  }));

// A few catalogued workflows, one of them never seen: the digest and the list report it too.
const catalog = parseCatalog(
  {
    version: 1,
    workflows: [
      { id: idOf(0), name: 'Zero', ownerTeam: 'Ops', stage: 'pilot', valuePerSuccessUsd: 1 },
      { id: 'fleet-listed-only', name: 'Listed only', ownerTeam: 'Ops', stage: 'pilot' },
    ],
  },
  'fleet-catalog.json',
);

/** Requests of one page of GET /workflows and of the digest's collection. */
const measure = async (reader: DynamoDbMetricsStore, requests: RequestCount, limit: number) => {
  requests.reset();
  const page = await listWorkflows(reader, catalog, NOW_MS, { limit });
  const listed = requests.total();
  requests.reset();
  const weeks = await collectWorkflowWeeks(reader, catalog, WEEK);
  return { page, listed, weeks, collected: requests.total() };
};

describe('fleet reads', () => {
  it(
    'read a page of GET /workflows and the digest’s fleet in the same requests at 40 and 400 workflows',
    async () => {
      // Prepare: the day and week items seeded in bulk as the counters function would leave them
      const table = await createTestTable();
      const client = table.clientOf('api');
      const requests = countRequests(client);
      const reader = new DynamoDbMetricsStore({ client, tableName: table.tableName });
      const seed = (from: number, to: number) =>
        seedCountedFleet(
          table.client,
          table.tableName,
          Array.from({ length: to - from }, (_, k) => seededWeeks(from + k)).flat(),
          '2026-11-18T09:00:00.000Z',
          { hours: false },
        );
      await seed(0, 40);
      const small = {
        page20: await measure(reader, requests, 20),
        page200: await measure(reader, requests, 200),
      };
      await seed(40, 400);

      // Act
      const large = {
        page20: await measure(reader, requests, 20),
        page200: await measure(reader, requests, 200),
      };

      // Assess
      expect(large.page20.listed).toBe(small.page20.listed);
      expect(large.page20.collected).toBe(small.page20.collected);
      expect(large.page200.collected).toBe(small.page200.collected);
      expect(large.page200.listed).toBeLessThanOrEqual(MAX_REQUESTS);
      expect(large.page200.collected).toBeLessThanOrEqual(MAX_REQUESTS);
      expect(large.page200.page.workflows).toHaveLength(200);
      expect(large.page200.page.workflows.map((w) => w.last7Days.runs)).toEqual(
        Array.from({ length: 200 }, (_, i) => runsThisWeek(i)),
      );
      expect(large.page200.weeks).toHaveLength(401);
      await table.drop();
    },
    TIMEOUT_MS,
  );

  it(
    'roll up through the counters function to exactly what each workflow’s own items hold',
    async () => {
      // Prepare: a small fleet counted from the stream, re-sends included
      const table = await createTestTable();
      const counting = startCounting(table);
      const writer = new DynamoDbMetricsStore({
        client: table.clientOf('aggregate'),
        tableName: table.tableName,
      });
      const reader = new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName: table.tableName });
      const ids = Array.from({ length: 12 }, (_, i) => i);
      await writer.admitWorkflows(ids.map(idOf), {
        day: '2026-11-18',
        nowIso: '2026-11-18T09:00:00.000Z',
        newWorkflowsPerDay: 100,
        catalogued: () => true,
      });
      const events = ids.flatMap(eventsOf);
      await writer.ingest(events);
      await writer.ingest(events.slice(0, 10));
      await counting.settle();

      // Act
      const weeks = await collectWorkflowWeeks(reader, catalog, WEEK);
      const { workflows } = await listWorkflows(reader, catalog, NOW_MS, { limit: 50 });
      const own = await Promise.all(
        ids.map((i) => reader.readBuckets(idOf(i), 'day', '2026-11-23', '2026-11-30')),
      );

      // Assess: the rollup against the workflow's own day items and against what was sent
      for (const i of ids) {
        const row = weeks.find((w) => w.workflowId === idOf(i));
        const days = own[i] ?? [];
        expect(row?.current.values.succeeded).toBe(
          days.reduce((n, d) => n + d.counters.values.succeeded, 0n),
        );
        expect(row?.current.values.durationMsSum).toBe(BigInt(runsThisWeek(i) * 1_000 * (i + 1)));
        expect(row?.current.users.estimate).toBe(1);
        expect(row?.previous.values.succeeded).toBe(1n);
        const listed = workflows.find((w) => w.workflowId === idOf(i));
        expect(listed?.last7Days.runs).toBe(runsThisWeek(i));
        expect(listed?.last7Days.activeUsers).toBe(1);
      }
      expect(weeks.find((w) => w.workflowId === 'fleet-listed-only')?.current.values.succeeded).toBe(0n);
      await counting.stop();
      await table.drop();
    },
    TIMEOUT_MS,
  );
});
