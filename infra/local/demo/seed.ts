import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type DemoEntry, demoFleet } from './fleet.ts';
import { demoMistakes } from './mistakes.ts';

export interface SeedReport {
  readonly week: string;
  readonly sent: number;
  readonly accepted: number;
  /** Entries the endpoint refused, by ErrorCode (the malformed entry sent on purpose). */
  readonly refused: Record<string, number>;
}

export interface SeedOptions {
  readonly eventsUrl: string;
  readonly busName: string;
  readonly nowMs: number;
  readonly onProgress?: (sent: number, total: number) => void;
  /** PutEvents calls in flight at once. @default 8 */
  readonly concurrency?: number;
}

/** A client of the local endpoint; local endpoints accept any credentials. */
export const localEventBridgeClient = (
  endpoint: string,
  retry: { readonly retryMode?: string; readonly maxAttempts?: number } = {},
): EventBridgeClient =>
  new EventBridgeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...retry,
  });

/**
 * Retries for a burst: the local queue is bounded and answers ThrottlingException when full, as
 * EventBridge does past its rate quota; adaptive mode slows the client down and keeps retrying.
 */
export const BURST_RETRY = { retryMode: 'adaptive', maxAttempts: 20 } as const;

const toEntry = (entry: DemoEntry, busName: string): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: entry.Source,
  DetailType: entry.DetailType,
  Detail: JSON.stringify(entry.Detail),
});

/**
 * Seeds the demo fleet through the real ingestion path: the AWS SDK's EventBridgeClient sends
 * PutEvents (10 entries a call) to the local endpoint, exactly as a producer would on AWS.
 *
 * @example
 * ```ts
 * const report = await seedDemo({ eventsUrl: 'http://127.0.0.1:4010', busName: 'yardstick', nowMs: Date.now() });
 * ```
 */
export const seedDemo = async (options: SeedOptions): Promise<SeedReport> => {
  const { week, entries } = demoFleet(options.nowMs);
  const all: PutEventsRequestEntry[] = [...entries, ...demoMistakes(entries, options.nowMs)].map((e) =>
    toEntry(e, options.busName),
  );
  // A malformed Detail is refused by the endpoint itself, per entry, like EventBridge does.
  all.push({
    EventBusName: options.busName,
    Source: 'acme.broken',
    DetailType: 'ai.workflow.usage',
    Detail: '{not json',
  });
  const batches: PutEventsRequestEntry[][] = [];
  for (let i = 0; i < all.length; i += 10) batches.push(all.slice(i, i + 10));
  // One entry sent twice within a single PutEvents call must also count once.
  const first = all[0];
  if (first && batches[0] && batches[0].length < 10) batches[0].push(first);
  else if (first) batches.push([first, first]);

  const total = batches.reduce((sum, batch) => sum + batch.length, 0);
  const client = localEventBridgeClient(options.eventsUrl, BURST_RETRY);
  const refused: Record<string, number> = {};
  let sent = 0;
  let accepted = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      const response = await client.send(new PutEventsCommand({ Entries: batch }));
      for (const result of response.Entries ?? []) {
        if (result.ErrorCode) refused[result.ErrorCode] = (refused[result.ErrorCode] ?? 0) + 1;
        else accepted++;
      }
      sent += batch.length;
      options.onProgress?.(sent, total);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    client.destroy();
  }
  return { week, sent, accepted, refused };
};
