import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { AccessDeniedException, functionClients } from '../../infra/local/iam-enforcement.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import {
  type FunctionPermissionSet,
  FunctionPermissions,
  withoutActions,
} from '../../shared/config/permissions.ts';
import { dayRangeAround, getJson, recentHour, startTestLocalMode } from '../support/local-mode.ts';

type Local = Awaited<ReturnType<typeof startTestLocalMode>>;

/** One usage event with a userId: counting it needs the distinct-users sketch, read with GetItem. */
const sendUsageWithUser = async (local: Local, workflowId: string) => {
  const client = localEventBridgeClient(local.eventsUrl);
  try {
    const detail = {
      schemaVersion: 1,
      eventId: `${workflowId}-1`,
      workflowId,
      occurredAt: new Date(recentHour()).toISOString(),
      userId: 'u-42',
      model: 'gpt-4o-mini',
      inputTokens: 100,
      outputTokens: 10,
      latencyMs: 120,
    };
    const response = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: local.busName,
            Source: 'acme.iam',
            DetailType: 'ai.workflow.usage',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    expect(response.FailedEntryCount).toBe(0);
  } finally {
    client.destroy();
  }
};

const totalsOf = async (local: Local, workflowId: string) => {
  const { from, to } = dayRangeAround(recentHour());
  const { body } = await getJson<{ totals: { usageEvents: number; activeUsers: number } }>(
    `${local.apiUrl}/workflows/${workflowId}/metrics?granularity=day&from=${from}&to=${to}`,
  );
  return body.totals;
};

/** Local mode whose refusals are collected; `aggregate` narrows the aggregate function's permissions. */
const startRecording = async (aggregate: FunctionPermissionSet = FunctionPermissions.aggregate) => {
  const denials: Array<{ functionName: FunctionName; error: AccessDeniedException }> = [];
  const local = await startTestLocalMode({
    queue: { batchWindowMs: 5, visibilityTimeoutMs: 0, batchSize: 50, maxReceiveCount: 2 },
    iam: {
      permissions: { aggregate },
      onDenied: (functionName, error) => denials.push({ functionName, error }),
    },
  });
  return { local, denials };
};

describe('local mode runs each function with exactly its IAM actions', () => {
  let running: Local | undefined;
  afterEach(async () => {
    await running?.stop();
    await running?.dropTable();
    running = undefined;
  });

  it('counts an event with a userId, and its user, with the aggregate role as the stack grants it', async () => {
    // Prepare
    const { local, denials } = await startRecording();
    running = local;
    // Act
    await sendUsageWithUser(local, 'iam-granted');
    await local.drain();
    // Assess
    expect(denials).toEqual([]);
    expect(local.queue.stats.deadLettered).toBe(0);
    expect(await totalsOf(local, 'iam-granted')).toMatchObject({ usageEvents: 1, activeUsers: 1 });
  });

  it('refuses the sketch read as AWS would when the counters role lacks dynamodb:GetItem: the run is counted, its user is not, and the batch is retried', async () => {
    // Prepare: the counters role without the read the sketch merge makes (issue 9's finding, now in
    // the function that merges users)
    const denials: Array<{ functionName: FunctionName; error: AccessDeniedException }> = [];
    const local = await startTestLocalMode({
      iam: {
        permissions: { counters: withoutActions(FunctionPermissions.counters, ['dynamodb:GetItem']) },
        onDenied: (functionName, error) => denials.push({ functionName, error }),
      },
    });
    running = local;

    // Act
    await sendUsageWithUser(local, 'iam-withheld');
    await local.queue.drain();
    await vi.waitFor(() => expect(local.streamPoller.stats.retries).toBeGreaterThanOrEqual(2), {
      timeout: 30_000,
    });

    // Assess: recorded (nothing dead-letters), counters applied once, the user not merged, the
    // refusal exactly as AWS words it for the counters role.
    expect(local.queue.stats.deadLettered).toBe(0);
    expect(await totalsOf(local, 'iam-withheld')).toMatchObject({ usageEvents: 1, activeUsers: 0 });
    expect(denials.length).toBeGreaterThan(0);
    for (const { functionName, error } of denials) {
      expect(functionName).toBe('counters');
      expect(error).toMatchObject({
        name: 'AccessDeniedException',
        __type: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
      expect(error.message).toBe(
        `User: arn:aws:sts::000000000000:assumed-role/yardstick-counters-role/yardstick-counters is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${local.tableName} because no identity-based policy allows the dynamodb:GetItem action`,
      );
    }
  });

  it('refuses PutEvents to a function without events:PutEvents and delivers it for one granted it', async () => {
    // Prepare
    const { local } = await startRecording();
    running = local;
    const entry = { EventBusName: local.busName, Source: 'acme.iam', DetailType: 'Not ours', Detail: '{}' };
    const api = functionClients('api', { endpoint: local.dynamoDbEndpoint, eventsEndpoint: local.eventsUrl });
    const granted = functionClients('api', {
      endpoint: local.dynamoDbEndpoint,
      eventsEndpoint: local.eventsUrl,
      permissions: { ...FunctionPermissions.api, events: ['events:PutEvents'] },
    });
    // Act
    const refused = await api.eventBridge.send(new PutEventsCommand({ Entries: [entry] })).catch((e) => e);
    const delivered = await granted.eventBridge.send(new PutEventsCommand({ Entries: [entry] }));
    api.destroy();
    granted.destroy();
    // Assess
    expect(refused).toBeInstanceOf(AccessDeniedException);
    expect(refused.message).toContain(
      `is not authorized to perform: events:PutEvents on resource: arn:aws:events:us-east-1:000000000000:event-bus/${local.busName}`,
    );
    expect(delivered.FailedEntryCount).toBe(0);
    expect(delivered.Entries?.[0]?.EventId).toBeTruthy();
  });

  it('lets only the digest function send e-mail', async () => {
    // Prepare: no SES runs locally, so an allowed call gets as far as the network, a refused one does not.
    const email = new SendEmailCommand({
      FromEmailAddress: 'digest@example.com',
      Destination: { ToAddresses: ['digest@example.com'] },
      Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
    });
    const nowhere = { endpoint: 'http://127.0.0.1:9', sesEndpoint: 'http://127.0.0.1:9' };
    const digest = functionClients('digest', nowhere);
    const aggregate = functionClients('aggregate', nowhere);
    // Act
    const byDigest = await digest.ses.send(email).catch((e) => e);
    const byAggregate = await aggregate.ses.send(email).catch((e) => e);
    digest.destroy();
    aggregate.destroy();
    // Assess
    expect(byDigest).not.toBeInstanceOf(AccessDeniedException);
    expect(digest.denied).toEqual([]);
    expect(byAggregate).toBeInstanceOf(AccessDeniedException);
    expect(aggregate.denied.map((error) => error.action)).toEqual(['ses:SendEmail']);
  });
});
