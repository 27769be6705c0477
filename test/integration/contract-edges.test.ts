import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS } from '../../events/bounds.ts';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { queryWorkflowMetrics } from '../../shared/query/metrics-query.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { DAY_MS, floorTo } from '../../shared/time.ts';
import { type Counting, settledFirst, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { recentHour, sqsEventOf } from '../support/local-mode.ts';

// The contract's edges through the real aggregate path and DynamoDB Local: numbers at and beyond
// their bounds, re-sends that spell the same instant differently, and personal data in refused events.

const catalog = parseCatalog({ version: 1 }, 'test catalog');
const logger = createLogger('test-contract-edges');
const context = localLambdaContext('test-contract-edges');

type Detail = Record<string, unknown>;

describe('contract edges through the aggregate path', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  // Counts follow recording through the table's stream; readers wait for it (settledFirst).
  let streamCounting: Counting;
  const nowMs = Date.now(); // one clock for the handler and the quarantine's day, even across midnight
  const base = recentHour(nowMs);
  const today = new Date(nowMs).toISOString().slice(0, 10);

  beforeAll(async () => {
    table = await createTestTable();
    streamCounting = startCounting(table);
  });
  afterAll(async () => {
    await streamCounting?.stop();
    await table.drop();
  });

  // The handler counts with the aggregate function's permissions; `store` reads as the query API does.
  const setup = () => {
    const counting = new DynamoDbMetricsStore({
      client: table.clientOf('aggregate'),
      tableName: table.tableName,
      now: () => nowMs,
    });
    const handler = createAggregateHandler({
      store: counting,
      price: catalog.price,
      logger,
      now: () => nowMs,
    });
    const store = settledFirst(
      new DynamoDbMetricsStore({
        client: table.clientOf('api'),
        tableName: table.tableName,
        now: () => nowMs,
      }),
      streamCounting,
    );
    return { store, handler };
  };

  const totalsOf = async (store: DynamoDbMetricsStore, workflowId: string) => {
    const to = floorTo(nowMs, DAY_MS) + DAY_MS;
    const response = await queryWorkflowMetrics(store, catalog, {
      workflowId,
      fromMs: to - 3 * DAY_MS,
      toMs: to,
      granularity: 'day',
    });
    return response.totals;
  };

  const usage = (workflowId: string, eventId: string, extra: Detail = {}): Detail => ({
    schemaVersion: 1,
    eventId,
    workflowId,
    occurredAt: new Date(base + 1000).toISOString(),
    model: 'unpriced-model',
    inputTokens: 100,
    outputTokens: 10,
    latencyMs: 500,
    costUsd: 0.25,
    ...extra,
  });
  const outcome = (workflowId: string, eventId: string, extra: Detail = {}): Detail => ({
    schemaVersion: 1,
    eventId,
    workflowId,
    occurredAt: new Date(base + 2000).toISOString(),
    status: 'succeeded',
    valueUsd: 2,
    minutesSaved: 3,
    ...extra,
  });

  describe('numbers beyond their bounds', () => {
    it.each([
      {
        why: 'minutesSaved of 1e306 (Infinity as BigInt)',
        workflowId: 'poison-minutes',
        field: 'minutesSaved',
        kind: 'ai.workflow.outcome',
        value: 1e306,
      },
      {
        why: 'costUsd of 1e308 (DynamoDB number overflow)',
        workflowId: 'poison-cost',
        field: 'costUsd',
        kind: 'ai.workflow.usage',
        value: 1e308,
      },
      {
        why: 'valueUsd of 1e308 (DynamoDB number overflow)',
        workflowId: 'poison-value',
        field: 'valueUsd',
        kind: 'ai.workflow.outcome',
        value: 1e308,
      },
      {
        why: 'costUsd of 1e30 (38-digit precision of later sums)',
        workflowId: 'poison-precision',
        field: 'costUsd',
        kind: 'ai.workflow.usage',
        value: 1e30,
      },
      {
        why: 'inputTokens beyond the safe integers',
        workflowId: 'poison-tokens',
        field: 'inputTokens',
        kind: 'ai.workflow.usage',
        value: 2 ** 60,
      },
    ])(
      'quarantines $why as out_of_range; its batch-mates and later writes to the day count',
      async ({ workflowId, field, kind, value }) => {
        // Prepare
        const { store, handler } = setup();
        const make = kind === 'ai.workflow.usage' ? usage : outcome;
        const batch = sqsEventOf([
          { messageId: `${workflowId}-u1`, detailType: 'ai.workflow.usage', detail: usage(workflowId, 'u1') },
          {
            messageId: `${workflowId}-bad`,
            detailType: kind,
            detail: make(workflowId, 'bad', { [field]: value }),
          },
          {
            messageId: `${workflowId}-o1`,
            detailType: 'ai.workflow.outcome',
            detail: outcome(workflowId, 'o1'),
          },
        ]);
        const later = sqsEventOf([
          { messageId: `${workflowId}-u2`, detailType: 'ai.workflow.usage', detail: usage(workflowId, 'u2') },
          {
            messageId: `${workflowId}-o2`,
            detailType: 'ai.workflow.outcome',
            detail: outcome(workflowId, 'o2'),
          },
        ]);

        // Act
        const first = await handler(batch, context);
        const second = await handler(later, context);
        const quarantined = (await store.listQuarantine(today, { limit: 100 })).entries;
        const totals = await totalsOf(store, workflowId);

        // Assess
        expect(first.batchItemFailures).toEqual([]);
        expect(second.batchItemFailures).toEqual([]);
        const entry = quarantined.find((q) => q.workflowId === workflowId && q.eventId === 'bad');
        expect(entry?.rejection).toMatchObject({ code: 'out_of_range', field });
        expect(entry?.rejection.message).toMatch(/at most/);
        expect(totals.usageEvents).toBe(2);
        expect(totals.succeeded).toBe(2);
        expect(totals.costUsd).toBe(0.5);
        expect(totals.valueUsd).toBe(4);
      },
    );

    it('counts every field at its upper bound exactly, twice into one day', async () => {
      // Prepare
      const { store, handler } = setup();
      const atMax = (eventId: string) => [
        {
          messageId: `max-u-${eventId}`,
          detailType: 'ai.workflow.usage',
          detail: usage('at-bounds', `u-${eventId}`, {
            costUsd: BOUNDS.costUsd.max,
            inputTokens: BOUNDS.inputTokens.max,
            outputTokens: BOUNDS.outputTokens.max,
            cachedInputTokens: BOUNDS.cachedInputTokens.max,
            latencyMs: BOUNDS.latencyMs.max,
          }),
        },
        {
          messageId: `max-o-${eventId}`,
          detailType: 'ai.workflow.outcome',
          detail: outcome('at-bounds', `o-${eventId}`, {
            valueUsd: BOUNDS.valueUsd.max,
            minutesSaved: BOUNDS.minutesSaved.max,
            durationMs: BOUNDS.durationMs.max,
            qualityScore: BOUNDS.qualityScore.max,
          }),
        },
      ];

      // Act
      const response = await handler(sqsEventOf([...atMax('1'), ...atMax('2')]), context);
      const totals = await totalsOf(store, 'at-bounds');

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(totals.usageEvents).toBe(2);
      expect(totals.inputTokens).toBe(2 * BOUNDS.inputTokens.max);
      expect(totals.costUsd).toBe(2 * BOUNDS.costUsd.max);
      expect(totals.valueUsd).toBe(2 * BOUNDS.valueUsd.max);
    });
  });

  describe('personal data in refused events', () => {
    it('stores and serves the pii_suspected event and its batch-mates without any raw id', async () => {
      // Prepare
      const { store, handler } = setup();
      const batch = sqsEventOf([
        {
          messageId: 'pii-demo',
          detailType: 'ai.workflow.outcome',
          detail: outcome('pii-wf', 'pii-1', { userId: 'jane.doe@example.com' }),
        },
        {
          messageId: 'pii-fullwidth',
          detailType: 'ai.workflow.override',
          detail: {
            ...outcome('pii-wf', 'pii-2'),
            status: undefined,
            decision: 'edited',
            reviewerId: 'john＠example.com',
          },
        },
        {
          messageId: 'late-with-id',
          detailType: 'ai.workflow.outcome',
          detail: outcome('pii-wf', 'late-1', {
            userId: 'u_8f3a9b2c',
            occurredAt: new Date(nowMs - 60 * DAY_MS).toISOString(),
          }),
        },
        { messageId: 'broken', rawBody: '{"detail":{"workflowId":"pii-wf","userId":"jane.doe@exam' },
      ]);

      // Act
      const response = await handler(batch, context);
      const stored = (await store.listQuarantine(today, { limit: 200 })).entries.filter(
        (q) => q.workflowId === 'pii-wf' || q.id === 'broken',
      );

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(stored).toHaveLength(4);
      const everything = JSON.stringify(stored);
      expect(everything).not.toMatch(/jane|john|u_8f3a9b2c/);
      const demo = stored.find((q) => q.eventId === 'pii-1');
      expect(demo?.rejection).toMatchObject({ code: 'pii_suspected', field: 'userId' });
      expect(JSON.parse(demo?.body ?? '{}').detail).toMatchObject({
        userId: '[redacted: pii_suspected]',
        status: 'succeeded',
      });
    });
  });

  describe('instants spelled differently', () => {
    it.each([
      ['seconds, then milliseconds', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00.000Z'],
      ['milliseconds, then seconds', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00Z'],
      ['one decimal, then microseconds', '2026-01-01T10:00:00.5Z', '2026-01-01T10:00:00.500000Z'],
    ])(
      'takes a re-send spelling the instant as %s for a duplicate, not a conflict',
      async (_why, first, second) => {
        // Prepare
        const { store, handler } = setup();
        const workflowId = `instant-${first.length}-${second.length}`;
        const at = (spelling: string) => new Date(base).toISOString().slice(0, 13) + spelling.slice(13);
        const send = (messageId: string, spelling: string) =>
          handler(
            sqsEventOf([
              {
                messageId,
                detailType: 'ai.workflow.outcome',
                detail: outcome(workflowId, 'same', { occurredAt: at(spelling) }),
              },
            ]),
            context,
          );

        // Act
        await send(`${workflowId}-first`, first);
        const resend = await send(`${workflowId}-second`, second);
        const conflicts = await store.listConflicts(workflowId, 10);
        const totals = await totalsOf(store, workflowId);

        // Assess
        expect(resend.batchItemFailures).toEqual([]);
        expect(conflicts).toEqual([]);
        expect(totals.succeeded).toBe(1);
      },
    );

    it('takes both spellings in one batch for one event and a duplicate', async () => {
      // Prepare
      const { store, handler } = setup();
      const hour = new Date(base).toISOString().slice(0, 13);
      const detail = (spelling: string) =>
        outcome('instant-batch', 'same', { occurredAt: `${hour}${spelling}` });

      // Act
      const response = await handler(
        sqsEventOf([
          { messageId: 'spell-1', detailType: 'ai.workflow.outcome', detail: detail(':00:00Z') },
          { messageId: 'spell-2', detailType: 'ai.workflow.outcome', detail: detail(':00:00.000Z') },
        ]),
        context,
      );

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await store.listConflicts('instant-batch', 10)).toEqual([]);
      expect((await totalsOf(store, 'instant-batch')).succeeded).toBe(1);
    });
  });
});
