import { createServer, type IncomingMessage } from 'node:http';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { pauseRecording } from '../../shared/replay/recording-pause.ts';
import { ReplayRefusedError } from '../../shared/replay/replay-errors.ts';

/**
 * The Lambda API's event-source-mapping and configuration routes on loopback, as the real SDK calls
 * them: a mapping that takes two polls to go from Disabling to Disabled.
 */
const lambdaApi = (mappings: Array<{ UUID: string; EventSourceArn: string; State: string }>) => {
  const calls: string[] = [];
  let pollsUntilDisabled = 2;
  const body = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => resolve(text));
    });
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    calls.push(`${request.method} ${url.pathname}`);
    const json = (value: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    const uuid = url.pathname.split('/').at(-1);
    const mapping = mappings.find((m) => m.UUID === uuid);
    if (url.pathname === '/2015-03-31/event-source-mappings') return json({ EventSourceMappings: mappings });
    if (url.pathname.endsWith('/configuration')) return json({ FunctionName: 'agg', Timeout: 30 });
    if (mapping && request.method === 'PUT') {
      const { Enabled } = JSON.parse(await body(request)) as { Enabled: boolean };
      mapping.State = Enabled ? 'Enabling' : 'Disabling';
      return json(mapping);
    }
    if (mapping) {
      if (mapping.State === 'Disabling' && --pollsUntilDisabled === 0) mapping.State = 'Disabled';
      return json(mapping);
    }
    response.writeHead(404).end();
  });
  return { server, calls };
};

describe('pauseRecording', () => {
  let api: ReturnType<typeof lambdaApi>;
  let lambda: LambdaClient;
  const start = async (mappings: Parameters<typeof lambdaApi>[0]) => {
    api = lambdaApi(mappings);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const { port } = api.server.address() as { port: number };
    lambda = new LambdaClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  };
  afterEach(async () => {
    lambda.destroy();
    await new Promise((resolve) => api.server.close(resolve));
  });

  it('disables the queue mapping, waits until it is disabled and one function timeout, and enables it again', async () => {
    // Prepare
    await start([
      { UUID: 'sqs-1', EventSourceArn: 'arn:aws:sqs:eu-west-1:000000000000:ingest', State: 'Enabled' },
      {
        UUID: 'ddb-1',
        EventSourceArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/t/stream/x',
        State: 'Enabled',
      },
    ]);
    const waits: number[] = [];

    // Act
    const paused = await pauseRecording({
      lambda,
      aggregateFunction: 'agg',
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await paused.resume();

    // Assess: disabled, polled to Disabled, waited 30 s for batches in flight, then enabled.
    expect(paused.mappingId).toBe('sqs-1');
    expect(api.calls.filter((c) => c.startsWith('PUT'))).toEqual([
      'PUT /2015-03-31/event-source-mappings/sqs-1',
      'PUT /2015-03-31/event-source-mappings/sqs-1',
    ]);
    expect(waits.at(-1)).toBe(30_000);
    expect(waits.length).toBeGreaterThanOrEqual(2);
  });

  it('leaves a mapping that was already disabled disabled', async () => {
    // Prepare
    await start([
      { UUID: 'sqs-2', EventSourceArn: 'arn:aws:sqs:eu-west-1:000000000000:ingest', State: 'Disabled' },
    ]);

    // Act
    const paused = await pauseRecording({ lambda, aggregateFunction: 'agg', sleep: async () => undefined });
    await paused.resume();

    // Assess
    expect(api.calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
  });

  it('refuses a function that has no queue mapping, changing nothing', async () => {
    // Prepare
    await start([
      {
        UUID: 'ddb-1',
        EventSourceArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/t/stream/x',
        State: 'Enabled',
      },
    ]);

    // Act
    const refused = await pauseRecording({
      lambda,
      aggregateFunction: 'agg',
      sleep: async () => undefined,
    }).catch((error: Error) => error);

    // Assess
    expect(refused).toBeInstanceOf(ReplayRefusedError);
    expect(api.calls.filter((c) => c.startsWith('PUT'))).toEqual([]);
  });
});
