import { context, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  assignVariant,
  createRecorder,
  EventsDroppedError,
  type RecorderError,
  type RecorderOptions,
} from '@yardstick/events/recorder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventBridgeClient } from '../../infra/local/demo/seed.ts';
import type { PutEventsRequestEntry } from '../../infra/local/put-events.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import type { WorkflowVariantsResponse } from '../../shared/query/variants-query.ts';
import { AGGREGATE_TRACER_NAME } from '../../shared/telemetry/batch-span.ts';
import { freePort } from '../support/free-port.ts';
import { dayRangeAround, getJson, startTestLocalMode } from '../support/local-mode.ts';
import { TestContextManager } from '../unit/recorder-support.ts';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

/** Fails the first delivery of every event whose eventId is in `flaky`, as EventBridge's InternalFailure. */
const flaky = new Set<string>();
const deliveries = new Map<string, number>();
const injectEntryFailure = (entry: PutEventsRequestEntry) => {
  const { eventId } = JSON.parse(String(entry.Detail)) as { eventId: string };
  const seen = (deliveries.get(eventId) ?? 0) + 1;
  deliveries.set(eventId, seen);
  return flaky.has(eventId) && seen === 1
    ? { ErrorCode: 'InternalFailure', ErrorMessage: 'injected' }
    : undefined;
};

/** A workflow with a randomised human-only arm, for the variants test. */
const VARIANTS_WORKFLOW = 'recorder-e2e-variants';
const catalog = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: VARIANTS_WORKFLOW,
        name: 'Recorder variants',
        ownerTeam: 'claims',
        stage: 'pilot',
        baselineVariant: 'human',
        laborCostPerHourUsd: 60,
        assignment: 'randomized',
      },
    ],
  },
  'recorder e2e catalog',
);

describe('recorder against the local EventBridge endpoint', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  const recorderFor = (workflowId: string, options: Partial<RecorderOptions> = {}) => {
    const errors: RecorderError[] = [];
    const client = localEventBridgeClient(local.eventsUrl);
    const recorder = createRecorder({
      workflowId,
      source: 'acme.e2e-recorder',
      eventBusName: local.busName,
      client,
      onError: (error) => errors.push(error),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...options,
    });
    return { recorder, errors, client };
  };
  const totalsOf = async (workflowId: string) => {
    const { from, to } = dayRangeAround(Date.now());
    const { body } = await getJson<{ totals: Record<string, number> }>(
      `${local.apiUrl}/workflows/${workflowId}/metrics?granularity=day&from=${from}&to=${to}`,
    );
    return body.totals;
  };

  beforeAll(async () => {
    context.setGlobalContextManager(new TestContextManager());
    trace.setGlobalTracerProvider(provider);
    local = await startTestLocalMode({
      queue: { batchWindowMs: 50, visibilityTimeoutMs: 0, batchSize: 200 },
      injectEntryFailure,
      catalog,
    });
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
    trace.disable();
    context.disable();
    await provider.shutdown();
  });

  it('re-sends only the entries EventBridge failed, and every event counts exactly once', async () => {
    // Prepare
    const { recorder, client, errors } = recorderFor('recorder-e2e');
    const ids: string[] = [];

    // Act
    for (let i = 0; i < 95; i++) {
      const id = recorder.usage({
        model: 'gpt-4o-mini',
        inputTokens: i + 1,
        outputTokens: 2,
        latencyMs: 10 * i,
      });
      if (id && i % 4 === 0) flaky.add(id);
      if (id) ids.push(id);
    }
    for (let i = 0; i < 12; i++) {
      const id = recorder.outcome({ status: i < 9 ? 'succeeded' : 'failed', valueUsd: 1.25 });
      if (id && i % 3 === 0) flaky.add(id);
      if (id) ids.push(id);
    }
    const flushed = await recorder.flush();
    await local.drain();
    const totals = await totalsOf('recorder-e2e');
    client.destroy();

    // Assess
    expect(errors).toEqual([]);
    expect(flushed).toEqual({ sent: 107, dropped: 0, pending: 0 });
    expect(recorder.stats()).toMatchObject({ accepted: 107, sent: 107, retried: flaky.size, buffered: 0 });
    expect(ids.filter((id) => deliveries.get(id) === 2).sort()).toEqual([...flaky].sort());
    expect(ids.filter((id) => deliveries.get(id) === 1)).toHaveLength(107 - flaky.size);
    expect(totals).toMatchObject({
      usageEvents: 95,
      inputTokens: (95 * 96) / 2,
      outputTokens: 190,
      succeeded: 9,
      failed: 3,
      valueUsd: 15,
    });
  });

  it('fills PutEvents calls up to the 256 KB limit, which the endpoint enforces, and loses nothing', async () => {
    // Prepare
    const { recorder, client, errors } = recorderFor('recorder-e2e-large', { validate: false });
    const padding = 'x'.repeat(100 * 1024); // an unknown field: sent, counted against the limit, dropped on ingestion

    // Act
    for (let i = 0; i < 7; i++) {
      recorder.usage({ model: 'gpt-4o', inputTokens: 10, outputTokens: 1, latencyMs: 5, padding } as never);
    }
    await recorder.flush();
    await local.drain();
    const totals = await totalsOf('recorder-e2e-large');
    client.destroy();

    // Assess
    expect(errors).toEqual([]);
    expect(recorder.stats()).toMatchObject({ sent: 7, requests: 4 });
    expect(totals).toMatchObject({ usageEvents: 7, inputTokens: 70 });
  });

  it('links the aggregate span to the producer span through the event’s traceparent', async () => {
    // Prepare
    const { recorder, client } = recorderFor('recorder-e2e-traced');
    const tracer = provider.getTracer('invoice-bot');
    exporter.reset();

    // Act
    const producer = tracer.startActiveSpan('triage invoice', (span) => {
      recorder.usage({ model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, latencyMs: 1 });
      span.end();
      return span.spanContext();
    });
    await recorder.flush();
    await local.drain();
    client.destroy();

    // Assess
    const batches = exporter
      .getFinishedSpans()
      .filter((span) => span.instrumentationScope.name === AGGREGATE_TRACER_NAME);
    const linked = batches.flatMap((span) => span.links).map((link) => link.context);
    expect(linked).toContainEqual(
      expect.objectContaining({ traceId: producer.traceId, spanId: producer.spanId }),
    );
    expect(batches.some((span) => span.attributes['yardstick.batch.counted'] === 1)).toBe(true);
  });

  it('records assigned variants that GET /workflows/{id}/variants lists and compares with the baseline', async () => {
    // Prepare: the recorder's variant is the AI flow; runs assigned to `human` override it and, being
    // done by a person, report only an outcome with the person's time.
    const { recorder, client, errors } = recorderFor(VARIANTS_WORKFLOW, { variant: 'ai' });
    const durations = { ai: [] as number[], human: [] as number[] };

    // Act
    for (let i = 0; i < 160; i++) {
      const runId = `claim-${i}`;
      const variant = assignVariant(runId, { ai: 0.75, human: 0.25 });
      await recorder.run(
        (run) => {
          if (variant === 'human') {
            const durationMs = 600_000 + ((i * 104_729) % 300_000);
            durations.human.push(durationMs);
            run.outcome({ status: i % 20 === 7 ? 'failed' : 'succeeded', durationMs, qualityScore: 0.9 });
            return;
          }
          const durationMs = 180_000 + ((i * 7_919) % 120_000);
          durations.ai.push(durationMs);
          run.usage({
            model: 'claims-model',
            inputTokens: 900,
            outputTokens: 120,
            latencyMs: 800,
            costUsd: 0.0125,
          });
          run.override({ decision: i % 4 === 0 ? 'edited' : 'accepted' });
          run.outcome({ status: i % 10 === 3 ? 'failed' : 'succeeded', durationMs, qualityScore: 0.8 });
        },
        { runId, ...(variant === 'human' ? { variant } : {}) },
      );
    }
    await recorder.flush();
    await local.drain();
    const { from, to } = dayRangeAround(Date.now());
    const { status, body } = await getJson<WorkflowVariantsResponse>(
      `${local.apiUrl}/workflows/${VARIANTS_WORKFLOW}/variants?from=${from}&to=${to}`,
    );
    client.destroy();

    // Assess
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const metricsOf = (variant: string) => body.variants.find((v) => v.variant === variant)?.metrics;
    expect(errors).toEqual([]);
    expect(status).toBe(200);
    expect(body.variants.map((v) => v.variant)).toEqual(['ai', 'human']);
    expect(durations.human.length).toBeGreaterThanOrEqual(30);
    expect(metricsOf('ai')).toMatchObject({ runs: durations.ai.length, usageEvents: durations.ai.length });
    expect(metricsOf('human')).toMatchObject({ runs: durations.human.length, usageEvents: 0, reviews: 0 });
    const [comparison] = body.comparisons;
    expect(comparison).toMatchObject({ variant: 'ai', baseline: 'human', possiblyConfounded: false });
    expect(comparison?.durationMs?.difference).toBeCloseTo(mean(durations.ai) - mean(durations.human), 2);
    expect(comparison?.measuredValueUsd?.runs).toBe(durations.ai.length);
  });

  it('keeps a bounded buffer and raises no unhandled rejection while the endpoint is down', async () => {
    // Prepare
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const down = localEventBridgeClient(`http://127.0.0.1:${await freePort()}`);
    const { recorder, errors } = recorderFor('recorder-e2e-down', {
      client: down,
      maxBufferedEvents: 50,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });

    // Act
    let peak = 0;
    for (let i = 0; i < 500; i++) {
      recorder.usage({ model: 'gpt-4o-mini', inputTokens: 1, outputTokens: 1, latencyMs: 1 });
      peak = Math.max(peak, recorder.stats().buffered);
    }
    const flushed = await recorder.flush({ timeoutMs: 10_000 });
    process.off('unhandledRejection', onUnhandled);
    down.destroy();

    // Assess
    expect(peak).toBeLessThanOrEqual(50);
    expect(flushed.pending).toBe(0);
    expect(recorder.stats()).toMatchObject({ accepted: 500, sent: 0, dropped: 500, buffered: 0 });
    const drops = errors.filter((e): e is EventsDroppedError => e instanceof EventsDroppedError);
    expect(drops.reduce((sum, e) => sum + e.count, 0)).toBe(500);
    expect(new Set(drops.map((e) => e.reason))).toEqual(new Set(['buffer_full', 'retries_exhausted']));
    expect(unhandled).toEqual([]);
  });
});
