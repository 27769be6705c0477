import { type ChildProcess, spawn } from 'node:child_process';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { BURST_RETRY, localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import { freePort } from './free-port.ts';

/** `npm start -- --no-demo` as a child process, so that tests can kill it the way a user would. */
export interface LocalProcess {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly eventsUrl: string;
  /** The ports it was told to use: API, events endpoint, DynamoDB Local, OTLP endpoint. */
  readonly ports: readonly number[];
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Resolves once the output contains `text`; rejects if the process exits first. */
  waitFor(text: string): Promise<void>;
}

export const SERVING = 'Serving until Ctrl-C.';

/**
 * Starts local mode with the given environment and resolves once it serves. A port found free can be
 * taken by another process before the child binds it (the suite runs in parallel): such a start is
 * retried on fresh ports, any other failure is not.
 */
export const startLocalProcess = async (env: Record<string, string>): Promise<LocalProcess> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env);
    } catch (error) {
      if (attempt >= 3 || !/already in use/i.test((error as Error).message)) throw error;
    }
  }
};

const startOnce = async (env: Record<string, string>): Promise<LocalProcess> => {
  const apiPort = await freePort();
  const eventsPort = await freePort();
  const dynamoDbPort = await freePort();
  // Never the default 4318: processes of a parallel suite would contend for it.
  const otlpPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--no-demo'], {
    env: {
      ...process.env,
      YARDSTICK_API_PORT: String(apiPort),
      YARDSTICK_EVENTS_PORT: String(eventsPort),
      YARDSTICK_DDB_PORT: String(dynamoDbPort),
      YARDSTICK_OTLP_PORT: String(otlpPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const listener of listeners) listener();
    }),
  );
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes(text)) {
          listeners.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          reject(new Error(`local mode exited before printing "${text}":\n${output}`));
        }
      };
      listeners.add(check);
      check();
    });
  await waitFor(SERVING);
  return {
    child,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    eventsUrl: `http://127.0.0.1:${eventsPort}`,
    ports: [apiPort, eventsPort, dynamoDbPort, otlpPort],
    output: () => output,
    exited,
    waitFor,
  };
};

/** `count` distinct outcome events of one workflow, in PutEvents calls of 10. */
export const outcomeBatches = (
  workflowId: string,
  count: number,
  occurredAt: string,
): PutEventsRequestEntry[][] => {
  const entries = Array.from({ length: count }, (_, n) => ({
    EventBusName: 'yardstick',
    Source: 'acme.durability',
    DetailType: 'ai.workflow.outcome',
    Detail: JSON.stringify({
      schemaVersion: 1,
      eventId: `e-${n}`,
      workflowId,
      occurredAt,
      status: 'succeeded',
    }),
  }));
  const batches: PutEventsRequestEntry[][] = [];
  for (let i = 0; i < entries.length; i += 10) batches.push(entries.slice(i, i + 10));
  return batches;
};

/** Sends the batches with the AWS SDK, `concurrency` calls at a time; resolves with the EventIds acknowledged. */
export const sendAll = async (
  eventsUrl: string,
  batches: readonly PutEventsRequestEntry[][],
  concurrency = 8,
): Promise<string[]> => {
  const client = localEventBridgeClient(eventsUrl, BURST_RETRY);
  const acknowledged: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      const result = await client.send(new PutEventsCommand({ Entries: batch }));
      for (const entry of result.Entries ?? []) if (entry.EventId) acknowledged.push(entry.EventId);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    client.destroy();
  }
  return acknowledged;
};
