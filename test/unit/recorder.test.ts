import { createHmac } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  createRecorder,
  EventsDroppedError,
  EventTooLargeError,
  EventValidationError,
  entrySize,
  fullJitterDelay,
  PiiRefusedError,
  PutEventsLimits,
  RecorderConfigError,
  type RecorderError,
  type RecorderOptions,
} from '@yardstick/events/recorder';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { takeBatch } from '../../events/recorder/batch.ts';
import { connectionRefused, FakeEventBridge, TestContextManager } from './recorder-support.ts';

const usage = { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, latencyMs: 300 } as const;
const SALT = 'a-test-salt-of-32-bytes-length!!';

const setup = (options: Partial<RecorderOptions> = {}) => {
  const client = new FakeEventBridge();
  const errors: RecorderError[] = [];
  const recorder = createRecorder({
    workflowId: 'invoice-triage',
    source: 'acme.invoice-bot',
    client,
    onError: (error) => errors.push(error),
    random: () => 1,
    ...options,
  });
  return { client, errors, recorder };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('entry size and batch limits', () => {
  it('counts an entry as EventBridge does: Time 14 bytes, then UTF-8 bytes of Source, DetailType, Detail, Resources', () => {
    // Prepare
    const entry = {
      Source: 'acme.bot',
      DetailType: 'ai.workflow.usage',
      Detail: '{"model":"é"}',
      Resources: ['arn:a', 'arn:bb'],
      EventBusName: 'not-counted',
    };

    // Act
    const withoutTime = entrySize(entry);
    const withTime = entrySize({ ...entry, Time: new Date() });

    // Assess
    expect(withoutTime).toBe(8 + 17 + 14 + 5 + 6);
    expect(withTime).toBe(withoutTime + 14);
  });

  it('takes at most 10 entries and at most 256 KB per PutEvents call, in order', () => {
    // Prepare
    const small = Array.from({ length: 23 }, (_, i) => ({ id: i, size: 100 }));
    const exact = [{ size: PutEventsLimits.maxBytes - 1000 }, { size: 1000 }, { size: 1 }];

    // Act
    const counts: number[] = [];
    while (small.length > 0) counts.push(takeBatch(small).length);
    const exactBatches = [takeBatch(exact).length, takeBatch(exact).length];

    // Assess
    expect(counts).toEqual([10, 10, 3]);
    expect(exactBatches).toEqual([2, 1]);
  });
});

describe('createRecorder', () => {
  it('refuses a malformed workflowId or a short salt at creation, with the reason', () => {
    // Act & Assess
    expect(() => createRecorder({ workflowId: 'Invoice Triage', source: 'acme' })).toThrow(
      RecorderConfigError,
    );
    expect(() =>
      createRecorder({ workflowId: 'wf', source: 'acme', pseudonymize: { salt: 'short' } }),
    ).toThrow(/at least 16 bytes/);
  });

  it('sends a full batch as soon as 10 events are buffered, and not before', () => {
    // Prepare
    const { client, recorder } = setup();

    // Act
    for (let i = 0; i < 9; i++) recorder.usage(usage);
    const callsAfterNine = client.calls.length;
    recorder.usage(usage);

    // Assess
    expect(callsAfterNine).toBe(0);
    expect(client.calls.map((call) => call.length)).toEqual([10]);
  });

  it('sends a partial batch when the flush interval elapses', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, recorder } = setup({ flushIntervalMs: 500 });
    recorder.usage(usage);
    recorder.outcome({ status: 'succeeded' });

    // Act
    await vi.advanceTimersByTimeAsync(499);
    const before = client.calls.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(before).toBe(0);
    expect(client.calls.map((call) => call.length)).toEqual([2]);
    expect(recorder.stats()).toMatchObject({ accepted: 2, sent: 2, buffered: 0 });
  });

  it('builds contract events: UUIDv7 eventIds, the recorder workflow and source, the bus, occurredAt now', async () => {
    // Prepare
    const { client, recorder } = setup({ eventBusName: 'yardstick-prod', now: () => Date.now() });

    // Act
    const eventId = recorder.usage({ ...usage, provider: 'openai', costUsd: 0.0002 });
    await recorder.flush();

    // Assess
    const [entry] = client.calls.flat();
    expect(eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(entry).toMatchObject({
      Source: 'acme.invoice-bot',
      DetailType: 'ai.workflow.usage',
      EventBusName: 'yardstick-prod',
    });
    const detail = JSON.parse(entry?.Detail ?? '{}');
    expect(detail).toMatchObject({
      schemaVersion: 1,
      eventId,
      workflowId: 'invoice-triage',
      provider: 'openai',
      costUsd: 0.0002,
    });
    expect(Math.abs(Date.parse(detail.occurredAt) - Date.now())).toBeLessThan(5_000);
  });

  it('reports an invalid event with the offending field and never throws, by default', () => {
    // Prepare
    const { client, errors, recorder } = setup();

    // Act
    const result = recorder.usage({ ...usage, inputTokens: -1 });

    // Assess
    expect(result).toBeUndefined();
    expect(errors[0]).toBeInstanceOf(EventValidationError);
    expect((errors[0] as EventValidationError).field).toBe('inputTokens');
    expect(errors[0]?.message).toMatch(/^ai\.workflow\.usage event refused: inputTokens:/);
    expect(client.calls).toHaveLength(0);
    expect(recorder.stats().refused).toBe(1);
  });

  it('throws the field-naming error in strict mode, for development and tests', () => {
    // Prepare
    const { recorder } = setup({ strict: true });

    // Act & Assess
    expect(() => recorder.outcome({ status: 'done' as 'succeeded' })).toThrow(/status/);
    expect(() => recorder.usage({ ...usage, occurredAt: Date.now() + 3_600_000 })).toThrow(
      expect.objectContaining({ field: 'occurredAt', code: 'occurred_in_future' }),
    );
  });

  it('keeps the workflow running when the onError callback itself throws', () => {
    // Prepare
    const recorder = createRecorder({
      workflowId: 'wf',
      source: 'acme',
      client: new FakeEventBridge(),
      onError: () => {
        throw new Error('broken callback');
      },
    });

    // Act & Assess
    expect(recorder.usage({ ...usage, latencyMs: Number.NaN })).toBeUndefined();
  });

  it('refuses an oversize event with a clear error and sends the rest', async () => {
    // Prepare
    const { client, errors, recorder } = setup({ validate: false });
    const padding = 'x'.repeat(PutEventsLimits.maxBytes);

    // Act
    const refused = recorder.usage({ ...usage, padding } as typeof usage);
    recorder.usage(usage);
    await recorder.flush();

    // Assess
    expect(refused).toBeUndefined();
    expect(errors[0]).toBeInstanceOf(EventTooLargeError);
    expect(errors[0]?.message).toMatch(/over the PutEvents limit of 262144 bytes per entry/);
    expect(client.calls.flat()).toHaveLength(1);
  });

  it('packs large events by bytes: no PutEvents call exceeds 256 KB', async () => {
    // Prepare
    const { client, recorder } = setup({ validate: false });
    const padding = 'x'.repeat(100 * 1024);

    // Act
    for (let i = 0; i < 5; i++) recorder.usage({ ...usage, padding } as typeof usage);
    await recorder.flush();

    // Assess
    expect(client.calls.map((call) => call.length)).toEqual([2, 2, 1]);
    for (const call of client.calls) {
      expect(call.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(
        PutEventsLimits.maxBytes,
      );
    }
  });
});

describe('retries', () => {
  it('re-sends only the failed entries, after a full-jitter backoff', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, recorder } = setup({ retry: { baseDelayMs: 100, maxDelayMs: 1_000 } });
    client.answer = (entry, call) =>
      call === 0 && /"inputTokens":(2|5)\b/.test(entry.Detail ?? '')
        ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
        : undefined;

    // Act
    const ids = Array.from({ length: 10 }, (_, i) => recorder.usage({ ...usage, inputTokens: i }));
    await vi.advanceTimersByTimeAsync(99);
    const callsBeforeBackoff = client.calls.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(callsBeforeBackoff).toBe(1);
    expect(client.eventIdsOfCall(1)).toEqual([ids[2], ids[5]]);
    expect(recorder.stats()).toMatchObject({ accepted: 10, sent: 10, retried: 2, requests: 2, buffered: 0 });
  });

  it('draws each backoff uniformly below min(max, base × 2^(attempt − 1))', () => {
    // Act
    const delays = [1, 2, 3, 10].map((attempt) =>
      fullJitterDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0.999_999),
    );
    const zero = fullJitterDelay(5, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => 0);

    // Assess
    expect(delays).toEqual([99, 199, 399, 999]);
    expect(zero).toBe(0);
  });

  it('drops entries EventBridge refuses for good, without retrying them', async () => {
    // Prepare
    const { client, errors, recorder } = setup();
    client.answer = () => ({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });

    // Act
    const id = recorder.usage(usage);
    await recorder.flush();

    // Assess
    expect(client.calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'rejected', errorCode: 'MalformedDetail', eventIds: [id] });
  });

  it('gives up after maxAttempts and reports the events as dropped', async () => {
    // Prepare
    const { client, errors, recorder } = setup({ retry: { maxAttempts: 3, baseDelayMs: 0 } });
    client.answer = () => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' });

    // Act
    recorder.usage(usage);
    const result = await recorder.flush();

    // Assess
    expect(client.calls).toHaveLength(3);
    expect(result).toEqual({ sent: 0, dropped: 1, pending: 0 });
    expect(errors.at(-1)).toMatchObject({ reason: 'retries_exhausted', errorCode: 'InternalFailure' });
  });

  it('holds a bounded buffer while the endpoint is down: drops the oldest, reports once per burst, never rejects', async () => {
    // Prepare
    vi.useFakeTimers();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const { client, errors, recorder } = setup({
      maxBufferedEvents: 500,
      retry: { maxAttempts: 1_000, baseDelayMs: 50, maxDelayMs: 200 },
    });
    client.failRequest = () => connectionRefused();

    // Act
    const ids: Array<string | undefined> = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1_000; i++) ids.push(recorder.usage(usage));
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const during = recorder.stats();
    client.failRequest = () => undefined;
    const flushed = recorder.flush({ timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    await flushed;
    process.off('unhandledRejection', onUnhandled);

    // Assess
    expect(during.buffered).toBeLessThanOrEqual(500);
    const dropped = errors.filter((e): e is EventsDroppedError => e instanceof EventsDroppedError);
    expect(dropped.every((e) => e.reason === 'buffer_full')).toBe(true);
    expect(dropped.length).toBeLessThanOrEqual(20);
    expect(dropped.reduce((sum, e) => sum + e.count, 0)).toBe(20_000 - 500);
    // The newest survive (those in flight when the buffer overflowed could not be dropped) and are
    // delivered once the endpoint is back.
    const delivered = new Set(client.acceptedEventIds());
    const positions = ids.flatMap((id, i) => (id !== undefined && delivered.has(id) ? [i] : []));
    expect(positions).toHaveLength(500);
    expect(positions[0]).toBeGreaterThanOrEqual(19_000);
    expect(recorder.stats()).toMatchObject({ accepted: 20_000, sent: 500, dropped: 19_500, buffered: 0 });
    expect(unhandled).toEqual([]);
  });

  it('stops accepting events once closed', async () => {
    // Prepare
    const { client, errors, recorder } = setup();
    recorder.usage(usage);

    // Act
    const closing = await recorder.close();
    const after = recorder.usage(usage);

    // Assess
    expect(closing).toEqual({ sent: 1, dropped: 0, pending: 0 });
    expect(after).toBeUndefined();
    expect(errors[0]?.message).toMatch(/closed/);
    expect(client.calls.flat()).toHaveLength(1);
  });
});

describe('pseudonymisation and the PII guard', () => {
  it('refuses an e-mail or phone userId when no salt is configured, without echoing the value', () => {
    // Prepare
    const { client, errors, recorder } = setup();

    // Act
    recorder.usage({ ...usage, userId: 'jane.doe@example.com' });
    recorder.override({ decision: 'rejected', reviewerId: '+44 20 7946 0958' });
    recorder.usage({ ...usage, userId: 'u-4812' });

    // Assess
    expect(errors.map((e) => [e.constructor, (e as PiiRefusedError).field])).toEqual([
      [PiiRefusedError, 'userId'],
      [PiiRefusedError, 'reviewerId'],
    ]);
    expect(errors.map((e) => e.message).join(' ')).not.toMatch(/jane|7946/);
    expect(recorder.stats()).toMatchObject({ accepted: 1, refused: 2 });
    expect(client.calls).toHaveLength(0);
  });

  it('sends HMAC-SHA256 pseudonyms of userId and reviewerId when a salt is configured', async () => {
    // Prepare
    const { client, recorder } = setup({ pseudonymize: { salt: SALT } });
    const hmac = (id: string) => createHmac('sha256', SALT).update(id).digest('hex');

    // Act
    recorder.usage({ ...usage, userId: 'jane.doe@example.com' });
    recorder.override({ decision: 'edited', reviewerId: 'reviewer-7' });
    await recorder.flush();

    // Assess
    const [first, second] = client.details();
    expect(first?.userId).toBe(hmac('jane.doe@example.com'));
    expect(second?.reviewerId).toBe(hmac('reviewer-7'));
    expect(JSON.stringify(client.calls)).not.toContain('jane');
  });
});

describe('runs and trace context', () => {
  let provider: BasicTracerProvider;
  beforeAll(() => {
    context.setGlobalContextManager(new TestContextManager());
    provider = new BasicTracerProvider();
  });
  afterAll(async () => {
    context.disable();
    await provider.shutdown();
  });

  it('ties a run’s events to one runId and user, and times the outcome', async () => {
    // Prepare
    let clock = 0;
    const now = () => Date.now() + clock;
    const { client, recorder } = setup({ now });

    // Act
    const value = await recorder.run(
      async (run) => {
        run.usage(usage);
        clock += 1_234;
        run.outcome({ status: 'succeeded', valueUsd: 4 });
        return 'done';
      },
      { userId: 'u-1' },
    );
    await recorder.flush();

    // Assess
    const [u, o] = client.details();
    expect(value).toBe('done');
    expect(u?.runId).toBeTypeOf('string');
    expect(o).toMatchObject({ runId: u?.runId, userId: 'u-1', status: 'succeeded', valueUsd: 4 });
    expect(o?.durationMs).toBeGreaterThanOrEqual(1_234);
    expect(o?.durationMs).toBeLessThan(1_234 + 1_000);
  });

  it('records a failed outcome when the run throws, then rethrows the workflow’s own error', async () => {
    // Prepare
    const { client, recorder } = setup();

    // Act
    const running = recorder.run(async (run) => {
      run.usage(usage);
      throw new Error('model timed out');
    });

    // Assess
    await expect(running).rejects.toThrow('model timed out');
    await recorder.flush();
    expect(client.details().map((d) => d.status ?? 'usage')).toEqual(['usage', 'failed']);
  });

  it('records a succeeded outcome on return only when asked, and no failure when failOnThrow is off', async () => {
    // Prepare
    const { client, recorder } = setup();

    // Act
    await recorder.run(() => 'no outcome recorded');
    await recorder.run(() => 'implicit success', { succeedOnReturn: true, runId: 'run-ok' });
    await recorder
      .run(
        () => {
          throw new Error('boom');
        },
        { failOnThrow: false },
      )
      .catch(() => undefined);
    await recorder.flush();

    // Assess
    expect(client.details().map((d) => [d.runId, d.status])).toEqual([['run-ok', 'succeeded']]);
  });

  it('carries the active OpenTelemetry span as a W3C traceparent', async () => {
    // Prepare
    const { client, recorder } = setup();
    const tracer = provider.getTracer('workflow');

    // Act
    const expected = tracer.startActiveSpan('invoice', (span) => {
      recorder.usage(usage);
      span.end();
      const { traceId, spanId } = span.spanContext();
      return `00-${traceId}-${spanId}-01`;
    });
    recorder.usage({ ...usage, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' });
    recorder.usage(usage);
    await recorder.flush();

    // Assess
    expect(client.details().map((d) => d.traceparent)).toEqual([
      expected,
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00',
      undefined,
    ]);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
