import { EventBridgeServiceException, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';

describe('query API and events endpoint in local mode', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  beforeAll(async () => {
    local = await startTestLocalMode();
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it('answers health', async () => {
    expect(await getJson(`${local.apiUrl}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers an unknown workflow with zero counters and null rates, since absence of events is data', async () => {
    // Act
    const { status, body } = await getJson<{ totals: Record<string, unknown>; series: unknown[] }>(
      `${local.apiUrl}/workflows/never-seen/metrics?granularity=day&from=2026-11-01&to=2026-11-08`,
    );

    // Assess
    expect(status).toBe(200);
    expect(body.series).toHaveLength(7);
    expect(body.totals).toMatchObject({
      runs: 0,
      costUsd: 0,
      usageEvents: 0,
      roi: null,
      acceptanceRate: null,
      successRate: null,
    });
  });

  it.each([
    ['/workflows/Bad_ID/metrics', 'invalid_workflow_id'],
    ['/workflows/ok/metrics?granularity=week', 'invalid_parameter'],
    ['/workflows/ok/metrics?granularity=hour&from=2026-11-01T00:30:00Z&to=2026-11-02', 'invalid_parameter'],
    ['/workflows/ok/metrics?from=2026-11-08&to=2026-11-01', 'invalid_range'],
    ['/workflows/ok/metrics?granularity=hour&from=2026-01-01&to=2026-03-01', 'range_too_long'],
    ['/workflows/ok/metrics?from=yesterday', 'invalid_parameter'],
    ['/quarantine?date=23-11-2026', 'invalid_parameter'],
    ['/workflows/ok/overrides?limit=0', 'invalid_parameter'],
  ])('refuses %s with a 400 that says what is wrong', async (path, code) => {
    // Act
    const { status, body } = await getJson<{ error: { code: string; message: string } }>(
      `${local.apiUrl}${path}`,
    );

    // Assess
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it('pages the day’s quarantine newest first with limit and nextToken, and refuses a forged token', async () => {
    // Prepare: two deliveries, one after the other; newest first is not id order.
    const client = localEventBridgeClient(local.eventsUrl);
    const refused = (eventId: string) => ({
      EventBusName: 'yardstick',
      Source: 'acme.quarantine',
      DetailType: 'ai.workflow.outcome',
      Detail: JSON.stringify({
        schemaVersion: 1,
        eventId,
        workflowId: 'wf-quarantine',
        occurredAt: new Date(recentHour()).toISOString(),
        status: 'exploded',
      }),
    });
    await client.send(new PutEventsCommand({ Entries: [refused('q-a-first')] }));
    await local.drain();
    await client.send(new PutEventsCommand({ Entries: [refused('q-z-second')] }));
    await local.drain();
    client.destroy();
    const date = new Date().toISOString().slice(0, 10);
    type Page = { date: string; events: Array<{ eventId?: string }>; nextToken?: string };

    // Act
    const first = await getJson<Page>(`${local.apiUrl}/quarantine?date=${date}&limit=1`);
    const token = encodeURIComponent(first.body.nextToken ?? '');
    const second = await getJson<Page>(`${local.apiUrl}/quarantine?date=${date}&limit=1&nextToken=${token}`);
    const forged = await getJson<{ error: { code: string; message: string } }>(
      `${local.apiUrl}/quarantine?date=${date}&limit=1&nextToken=forged`,
    );

    // Assess
    expect(first.body.events.map((event) => event.eventId)).toEqual(['q-z-second']);
    expect(second.body.events.map((event) => event.eventId)).toEqual(['q-a-first']);
    expect(second.body.nextToken).toBeUndefined();
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringContaining('nextToken'),
    });
  });

  it('answers an unknown route with 404 listing the routes', async () => {
    const { status, body } = await getJson<{ error: { code: string; message: string } }>(
      `${local.apiUrl}/nope`,
    );
    expect(status).toBe(404);
    expect(body.error.message).toContain('/workflows/{workflowId}/metrics');
  });

  it('refuses more than 10 entries in one PutEvents with the ValidationException AWS gives', async () => {
    // Prepare
    const client = localEventBridgeClient(local.eventsUrl);
    const entry = { Source: 'acme.x', DetailType: 'ai.workflow.outcome', Detail: '{}' };

    // Act
    const error = await client
      .send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) }))
      .catch((e) => e);
    client.destroy();

    // Assess
    expect(error).toBeInstanceOf(EventBridgeServiceException);
    expect((error as EventBridgeServiceException).name).toBe('ValidationException');
    expect((error as Error).message).toContain('less than or equal to 10');
  });
});
