import type { PutEventsCommand, PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import type { PutEventsClient } from '../events/recorder/publisher.ts';
import { createRecorder } from '../events/recorder/recorder.ts';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** An EventBridge that accepts everything at once: the benchmark measures the recorder, not a network. */
class AcceptingClient implements PutEventsClient {
  async send(command: PutEventsCommand): Promise<PutEventsCommandOutput> {
    const entries = command.input.Entries ?? [];
    return {
      $metadata: {},
      FailedEntryCount: 0,
      Entries: entries.map((_, i) => ({ EventId: String(i) })),
    };
  }
}

const EVENTS = 5_000;
const WARMUP = 2_000;
const ROUNDS = 3;

const usage = (i: number) => ({
  model: 'gpt-4o-mini',
  provider: 'openai',
  inputTokens: 1_200 + (i % 100),
  outputTokens: 300,
  latencyMs: 850,
  runId: 'run-0001',
  userId: `user-${i % 5_000}`, // distinct users: the pseudonym cache does not hide the HMAC's cost
});

/** Microseconds per call of `fn` over `count` calls, awaiting `settle` (flush) inside the timing. */
const timePerCall = async (count: number, fn: (i: number) => void, settle?: () => Promise<unknown>) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fn(i);
  await settle?.();
  return Number(process.hrtime.bigint() - start) / 1_000 / count;
};

const measureRecorder = async (options: { validate: boolean; salt?: string }) => {
  const recorder = createRecorder({
    workflowId: 'bench',
    source: 'yardstick.bench',
    client: new AcceptingClient(),
    flushIntervalMs: 60_000,
    maxBufferedEvents: EVENTS * 2,
    validate: options.validate,
    ...(options.salt ? { pseudonymize: { salt: options.salt } } : {}),
    onError: (error) => {
      throw error;
    },
  });
  await timePerCall(
    WARMUP,
    (i) => recorder.usage(usage(i)),
    () => recorder.flush(),
  );
  const us = await timePerCall(
    EVENTS,
    (i) => recorder.usage(usage(i)),
    () => recorder.flush(),
  );
  const stats = recorder.stats();
  await recorder.close();
  if (stats.sent !== EVENTS + WARMUP) throw new Error(`bench lost events: ${JSON.stringify(stats)}`);
  return us;
};

/**
 * The recorder's cost per event, against a baseline of `JSON.stringify` of the same detail in the
 * same run: building the event (UUIDv7, timestamp, trace context), validating it with the contract's
 * zod schemas, sizing, batching into PutEvents calls of 10 and handling the (instant) responses.
 *
 * @example
 * ```ts
 * for (const r of await benchRecorder()) console.log(`${r.name}: ${r.value} ${r.unit}`);
 * ```
 */
export const benchRecorder = async (): Promise<BenchResult[]> => {
  const detail = { schemaVersion: 1, eventId: '0190c5d2-0000-7000-8000-000000000000', workflowId: 'bench' };
  let sink = 0;
  const stringify = () =>
    timePerCall(EVENTS, (i) => {
      sink += JSON.stringify({ ...detail, ...usage(i) }).length;
    });
  await stringify();
  // Rounds interleave the variants so that a noisy neighbour hurts them alike; medians are reported.
  const samples = {
    baseline: [] as number[],
    recorder: [] as number[],
    unvalidated: [] as number[],
    salted: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    samples.baseline.push(await stringify());
    samples.recorder.push(await measureRecorder({ validate: true }));
    samples.unvalidated.push(await measureRecorder({ validate: false }));
    samples.salted.push(await measureRecorder({ validate: true, salt: 'bench-salt-0123456789abcdef' }));
  }
  if (sink === 0) throw new Error('unreachable');
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  const baselineUs = median(samples.baseline);
  const recorderUs = median(samples.recorder);
  return [
    { name: 'recorder.usage() throughput', value: Math.round(1e6 / recorderUs), unit: 'events/s' },
    { name: 'recorder.usage() per event', value: round(recorderUs), unit: 'µs' },
    {
      name: 'recorder.usage() per event, validate: false',
      value: round(median(samples.unvalidated)),
      unit: 'µs',
    },
    {
      name: 'recorder.usage() per event, with HMAC pseudonymisation',
      value: round(median(samples.salted)),
      unit: 'µs',
    },
    { name: 'JSON.stringify baseline per event', value: round(baselineUs), unit: 'µs' },
    {
      name: 'recorder overhead per event over JSON.stringify',
      value: round(recorderUs - baselineUs),
      unit: 'µs',
    },
    { name: 'recorder cost relative to JSON.stringify', value: round(recorderUs / baselineUs), unit: '×' },
  ];
};

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await benchRecorder()) console.log(`${result.name}: ${result.value} ${result.unit}`);
}
