import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { dayRangeAround, getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';

const at = (base: number, minutes: number) => new Date(base + minutes * 60_000).toISOString();

/** A small workflow whose every metric can be worked out by hand. */
const handCountedEntries = (workflowId: string, base: number, bus: string): PutEventsRequestEntry[] => {
  const common = (eventId: string, minutes: number, userId = 'u-1') => ({
    schemaVersion: 1,
    eventId,
    workflowId,
    occurredAt: at(base, minutes),
    userId,
  });
  const details: Array<[string, Record<string, unknown>]> = [
    [
      'ai.workflow.usage',
      { ...common('u1', 1), model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 200, latencyMs: 100 },
    ],
    [
      'ai.workflow.usage',
      {
        ...common('u2', 2),
        model: 'embed-x',
        inputTokens: 10,
        outputTokens: 0,
        latencyMs: 50,
        costUsd: 0.0000002,
      },
    ],
    [
      'ai.workflow.usage',
      { ...common('u3', 3), model: 'no-price-model', inputTokens: 0, outputTokens: 0, latencyMs: 400 },
    ],
    ['ai.workflow.outcome', { ...common('o1', 4), status: 'succeeded', valueUsd: 2.5, minutesSaved: 3 }],
    ['ai.workflow.outcome', { ...common('o2', 5), status: 'succeeded' }],
    ['ai.workflow.outcome', { ...common('o3', 6, 'u-2'), status: 'failed' }],
    ['ai.workflow.override', { ...common('v1', 7), decision: 'accepted' }],
    ['ai.workflow.override', { ...common('v2', 8), decision: 'edited', reasonCode: 'tone' }],
    ['ai.workflow.override', { ...common('v3', 9), decision: 'rejected', reasonCode: 'hallucination' }],
  ];
  return details.map(([DetailType, detail]) => ({
    EventBusName: bus,
    Source: 'acme.e2e',
    DetailType,
    Detail: JSON.stringify(detail),
  }));
};

const expectHandCountedTotals = (totals: Record<string, unknown>) => {
  expect(totals).toMatchObject({
    usageEvents: 3,
    inputTokens: 1010,
    outputTokens: 200,
    unpricedUsageEvents: 1,
    costUsd: 0.0002702, // 1000 × $0.15/M + 200 × $0.60/M priced from the default table, plus $0.0000002 reported
    costCatalogPricedUsd: 0.00027,
    runs: 3,
    succeeded: 2,
    failed: 1,
    abandoned: 0,
    valueUsd: 2.5,
    accepted: 1,
    edited: 1,
    rejected: 1,
    escalated: 0,
    reviews: 3,
    activeUsers: 2,
    topOverrideReasons: [
      { reasonCode: 'hallucination', count: 1 },
      { reasonCode: 'tone', count: 1 },
    ],
  });
  expect(totals.successRate).toBeCloseTo(2 / 3, 5);
  expect(totals.overrideRate).toBeCloseTo(2 / 3, 5);
  expect(totals.acceptanceRate).toBeCloseTo(1 / 3, 5);
  // One usage event is unpriced and one of two successes has a value: cost and value are both lower
  // bounds, so net value and ROI are unknown, not (2.5 - 0.00027) / 0.00027.
  expect(totals).toMatchObject({ costComplete: false, valueCoverage: 0.5, netValueUsd: null, roi: null });
};

describe('ingestion through the local EventBridge endpoint', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  beforeAll(async () => {
    local = await startTestLocalMode();
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it('counts events sent with the AWS SDK exactly, even when sent twice in one call and re-sent later', async () => {
    // Prepare
    const base = recentHour();
    const entries = handCountedEntries('acme-sdk', base, local.busName);
    const client = localEventBridgeClient(local.eventsUrl);
    const [first] = entries;

    // Act
    const firstCall = await client.send(
      new PutEventsCommand({ Entries: [first as PutEventsRequestEntry, ...entries] }),
    );
    await local.drain();
    const resend = await client.send(new PutEventsCommand({ Entries: entries }));
    await local.drain();
    client.destroy();
    const range = dayRangeAround(base);
    const { status, body } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/acme-sdk/metrics?granularity=day&from=${range.from}&to=${range.to}`,
    );

    // Assess
    expect(firstCall.FailedEntryCount).toBe(0);
    expect(firstCall.Entries).toHaveLength(10);
    expect(resend.FailedEntryCount).toBe(0);
    expect(status).toBe(200);
    expectHandCountedTotals(body.totals);
  });

  it('accepts the AWS CLI v2 and gives its per-entry errors for an unknown bus', async () => {
    // Prepare
    const base = recentHour();
    const entries = handCountedEntries('acme-cli', base, local.busName);
    const dir = mkdtempSync(join(tmpdir(), 'yardstick-cli-'));
    const good = join(dir, 'entries.json');
    const unknownBus = join(dir, 'unknown-bus.json');
    writeFileSync(good, JSON.stringify(entries));
    writeFileSync(unknownBus, JSON.stringify([{ ...entries[0], EventBusName: 'no-such-bus' }]));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'any', AWS_SECRET_ACCESS_KEY: 'any', AWS_PAGER: '' };
    const cli = (file: string) =>
      run(
        AWS_CLI,
        [
          'events',
          'put-events',
          '--endpoint-url',
          local.eventsUrl,
          '--region',
          'eu-west-1',
          '--entries',
          `file://${file}`,
        ],
        { env },
      );

    // Act
    const sent = JSON.parse((await cli(good)).stdout) as { FailedEntryCount: number; Entries: unknown[] };
    const refused = JSON.parse((await cli(unknownBus)).stdout) as {
      FailedEntryCount: number;
      Entries: Array<Record<string, string>>;
    };
    await local.drain();
    const range = dayRangeAround(base);
    const { body } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/acme-cli/metrics?granularity=hour&from=${new Date(base).toISOString()}&to=${new Date(base + 3_600_000).toISOString()}`,
    );
    const { body: dayBody } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/acme-cli/metrics?granularity=day&from=${range.from}&to=${range.to}`,
    );

    // Assess
    expect(sent.FailedEntryCount).toBe(0);
    expect(sent.Entries).toHaveLength(9);
    expect(refused.FailedEntryCount).toBe(1);
    expect(refused.Entries[0]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
    expectHandCountedTotals(body.totals);
    expectHandCountedTotals(dayBody.totals);
  });
});
