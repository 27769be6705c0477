import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { getJson, startTestLocalMode } from '../support/local-mode.ts';

const FLEET = 120;
const catalog = parseCatalog(
  {
    version: 1,
    workflows: ['aaa-first', 'fleet-0500', 'zzz-last'].map((id) => ({
      id,
      name: id,
      ownerTeam: 'ops',
      stage: 'pilot',
    })),
  },
  'test catalog',
);

interface Page {
  workflows: Array<{ workflowId: string; inCatalog: boolean }>;
  nextToken?: string;
}

describe('GET /workflows pages through the fleet', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  const sent: string[] = [];

  beforeAll(async () => {
    local = await startTestLocalMode({ catalog, newWorkflowsPerDay: FLEET });
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const entries: PutEventsRequestEntry[] = Array.from({ length: FLEET }, (_, i) => {
      const workflowId = `fleet-${String(i * 10).padStart(4, '0')}`;
      sent.push(workflowId);
      return {
        EventBusName: local.busName,
        Source: 'acme.fleet',
        DetailType: 'ai.workflow.outcome',
        Detail: JSON.stringify({
          schemaVersion: 1,
          eventId: 'e1',
          workflowId,
          occurredAt,
          status: 'succeeded',
        }),
      };
    });
    const client = localEventBridgeClient(local.eventsUrl);
    try {
      for (let i = 0; i < entries.length; i += 10) {
        await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
      }
    } finally {
      client.destroy();
    }
    await local.drain();
  }, 60_000);

  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it('returns every workflow exactly once, in id order, merging catalogued ones into the pages', async () => {
    // Act
    const pages: Page[] = [];
    let nextToken: string | undefined;
    do {
      const query = nextToken ? `limit=50&nextToken=${encodeURIComponent(nextToken)}` : 'limit=50';
      const { status, body } = await getJson<Page>(`${local.apiUrl}/workflows?${query}`);
      expect(status).toBe(200);
      pages.push(body);
      nextToken = body.nextToken;
    } while (nextToken && pages.length < 10);

    // Assess
    const ids = pages.flatMap((page) => page.workflows.map((w) => w.workflowId));
    const expected = [...new Set([...sent, 'aaa-first', 'fleet-0500', 'zzz-last'])].sort();
    expect(ids).toEqual(expected);
    expect(pages.map((page) => page.workflows.length)).toEqual([50, 50, 22]);
    expect(pages.at(-1)?.nextToken).toBeUndefined();
    const flagged = pages.flatMap((page) =>
      page.workflows.filter((w) => w.inCatalog).map((w) => w.workflowId),
    );
    expect(flagged).toEqual(['aaa-first', 'fleet-0500', 'zzz-last']);
  });

  it('answers 50 workflows by default and refuses a limit above 200', async () => {
    // Act
    const first = await getJson<Page>(`${local.apiUrl}/workflows`);
    const tooMany = await getJson<{ error: { code: string; message: string } }>(
      `${local.apiUrl}/workflows?limit=201`,
    );

    // Assess
    expect(first.body.workflows).toHaveLength(50);
    expect(first.body.nextToken).toEqual(expect.any(String));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('1 to 200');
  });

  it.each(['not-a-token', Buffer.from('{"after":"Bad ID"}').toString('base64url'), ''])(
    'refuses a nextToken it did not issue (%j) with a 400',
    async (token) => {
      // Act
      const { status, body } = await getJson<{ error: { code: string; message: string } }>(
        `${local.apiUrl}/workflows?nextToken=${encodeURIComponent(token)}`,
      );

      // Assess
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'invalid_parameter',
        message: expect.stringContaining('nextToken'),
      });
    },
  );
});
