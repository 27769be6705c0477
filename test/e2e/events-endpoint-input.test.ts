import { request } from 'node:http';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';

interface RawResponse {
  status: number;
  errorType: string | undefined;
  body: string;
}

/** A raw HTTP request, so that the body and headers are exactly what a broken client would send. */
const raw = (url: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'POST',
        setHost: !('host' in headers),
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSEvents.PutEvents',
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            errorType: response.headers['x-amzn-errortype'] as string | undefined,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    call.on('error', reject);
    call.end(body);
  });

const outcome = (workflowId: string, eventId: string, occurredAt: string) => ({
  EventBusName: 'yardstick',
  Source: 'acme.input',
  DetailType: 'ai.workflow.outcome',
  Detail: JSON.stringify({ schemaVersion: 1, eventId, workflowId, occurredAt, status: 'succeeded' }),
});

const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('the local events endpoint on malformed input', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  beforeAll(async () => {
    local = await startTestLocalMode();
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it.each([
    ['a null body', 'SerializationException', 'null'],
    ['an array body', 'SerializationException', '[]'],
    ['a body that is not JSON', 'SerializationException', '{"Entries":'],
    [
      'a null entry',
      'ValidationException',
      JSON.stringify({ Entries: [null, outcome('wf-null', 'e1', new Date().toISOString())] }),
    ],
    [
      'a numeric entry',
      'SerializationException',
      JSON.stringify({ Entries: [outcome('wf-num', 'e1', new Date().toISOString()), 3] }),
    ],
  ])('answers %s with a 400 %s and delivers nothing', async (_name, errorType, body) => {
    // Prepare
    const sentBefore = local.queue.stats.sent;

    // Act
    const response = await raw(`${local.eventsUrl}/`, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.errorType).toBe(errorType);
    expect(JSON.parse(response.body)).toMatchObject({ __type: errorType });
    expect(local.queue.stats.sent).toBe(sentBefore);
  });

  it('tells the truth about every entry: only the entries it accepts are delivered', async () => {
    // Prepare: a good entry, a Time beyond the Date range, a 20,000-level Detail, a good entry.
    const at = new Date(recentHour()).toISOString();
    const entries = [
      outcome('wf-truth', 'e1', at),
      { ...outcome('wf-truth', 'e2', at), Time: 1e13 },
      { ...outcome('wf-truth', 'e3', at), Detail: nested(20_000) },
      outcome('wf-truth', 'e4', at),
    ];
    const sentBefore = local.queue.stats.sent;

    // Act
    const response = await raw(`${local.eventsUrl}/`, JSON.stringify({ Entries: entries }));
    const answer = JSON.parse(response.body) as {
      FailedEntryCount: number;
      Entries: Record<string, string>[];
    };
    await local.drain();
    const { body } = await getJson<{ totals: { runs: number } }>(
      `${local.apiUrl}/workflows/wf-truth/metrics`,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries.map((entry) => entry.ErrorCode ?? 'accepted')).toEqual([
      'accepted',
      'InvalidArgument',
      'MalformedDetail',
      'accepted',
    ]);
    expect(local.queue.stats.sent - sentBefore).toBe(2);
    expect(body.totals.runs).toBe(2);
  });

  it('answers a malformed Host header on the query API with a 400', async () => {
    // Act
    const response = await raw(`${local.apiUrl}/health`, '', { host: '[::1' });

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('serves PutEvents whatever the Host header says, as the Host plays no part in it', async () => {
    // Prepare
    const body = JSON.stringify({
      Entries: [outcome('wf-host', 'h1', new Date(recentHour()).toISOString())],
    });

    // Act
    const response = await raw(`${local.eventsUrl}/`, body, { host: '[::1' });

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ FailedEntryCount: 0 });
  });

  it('gives an aws.* Source the per-entry error EventBridge gives, through the AWS SDK', async () => {
    // Prepare
    const client = localEventBridgeClient(local.eventsUrl);
    const at = new Date(recentHour()).toISOString();

    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [{ ...outcome('wf-aws', 'e1', at), Source: 'aws.s3' }, outcome('wf-aws', 'e2', at)],
      }),
    );
    client.destroy();

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
    expect(result.Entries?.[1]?.EventId).toBeTruthy();
  });

  it('quarantines a near-miss detail type with unknown_detail_type instead of dropping it', async () => {
    // Prepare
    const client = localEventBridgeClient(local.eventsUrl);
    const at = new Date(recentHour()).toISOString();
    const entries = [
      { ...outcome('wf-near', 'n1', at), DetailType: 'ai.workflow.Outcome' },
      { ...outcome('wf-near', 'n2', at), DetailType: 'ai.workflow.cost' },
    ];

    // Act
    const result = await client.send(new PutEventsCommand({ Entries: entries }));
    client.destroy();
    await local.drain();
    const { body } = await getJson<{
      events: Array<{ eventId?: string; rejection: { code: string; message: string } }>;
    }>(`${local.apiUrl}/quarantine?date=${new Date().toISOString().slice(0, 10)}`);
    const nearMisses = body.events.filter((event) => event.rejection.code === 'unknown_detail_type');

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(nearMisses.map((event) => event.eventId).sort()).toEqual(['n1', 'n2']);
    expect(nearMisses.find((event) => event.eventId === 'n1')?.rejection.message).toContain(
      'did you mean ai.workflow.outcome?',
    );
  });
});
