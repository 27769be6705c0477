import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { loadCatalogFile } from '../../shared/catalog/load.ts';
import { countBatch, type IncomingEvent } from '../../shared/ingest/count-batch.ts';
import { PIPELINE_COUNTERS } from '../../shared/ingest/pipeline-counters.ts';
import { InMemoryMetricsStore } from '../../shared/store/memory/in-memory-metrics-store.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';

const NOW_MS = Date.parse('2026-11-23T12:00:00Z');
const catalog = loadCatalogFile('catalog.json');

/** One delivery of an outcome event: `id` is the EventBridge event id, `ref` the SQS message. */
const delivery = (ref: string, id: string, eventId: string, status: string): IncomingEvent => {
  const detail = {
    schemaVersion: 1,
    eventId,
    workflowId: 'pipeline-wf',
    occurredAt: '2026-11-23T11:00:00Z',
    status,
  };
  return { ref, id, detailType: 'ai.workflow.outcome', source: 'test', detail, body: JSON.stringify(detail) };
};

describe('GET /pipeline says what its counters count', () => {
  it('counts distinct events as counted and every delivery in the other counters, and says so in the answer', async () => {
    // Prepare: one event delivered twice, and one invalid event delivered twice (an SQS redelivery)
    const store = new InMemoryMetricsStore();
    const deps = { store, price: catalog.price, window: { nowMs: NOW_MS, latenessMs: 7 * 86_400_000 } };
    await countBatch(
      [delivery('m1', 'eb-1', 'good', 'succeeded'), delivery('m2', 'eb-2', 'bad', 'maybe')],
      deps,
    );
    await countBatch(
      [delivery('m1', 'eb-1', 'good', 'succeeded'), delivery('m2', 'eb-2', 'bad', 'maybe')],
      deps,
    );
    const api = createApiHandler({ store, catalog, now: () => NOW_MS }, createLogger('pipeline-test'));

    // Act
    const response = (await api(
      {
        rawPath: '/pipeline',
        queryStringParameters: { from: '2026-11-23', to: '2026-11-24' },
        requestContext: { http: { method: 'GET' } },
      } as unknown as APIGatewayProxyEventV2,
      { functionName: 'test', awsRequestId: 'r-1' } as Context,
    )) as APIGatewayProxyStructuredResultV2;
    const body = JSON.parse(String(response.body));
    const listed = (await store.listQuarantine('2026-11-23', { limit: 10 })).entries;

    // Assess
    expect(body.counters).toEqual(PIPELINE_COUNTERS);
    expect(body.counters.counted).toMatch(/distinct events/);
    expect(body.counters.quarantined).toMatch(/deliveries/);
    expect(body.days).toEqual([
      { day: '2026-11-23', received: 4, counted: 1, duplicates: 1, conflicts: 0, quarantined: 2 },
    ]);
    expect(listed).toHaveLength(1);
  });
});
