import { type Attributes, context, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { GenAiUsageSpanProcessor, readGenAiUsage } from '@yardstick/events/otel';
import { createRecorder, type RecorderError, type RecorderOptions } from '@yardstick/events/recorder';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEventBridge } from './recorder-support.ts';

/** Attributes as OpenLLMetry's OpenAI instrumentation sets them (older GenAI names, content included). */
const openLlmetryChat = (overrides: Attributes = {}): Attributes => ({
  'llm.request.type': 'chat',
  'gen_ai.system': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.request.temperature': 0.2,
  'gen_ai.usage.prompt_tokens': 1200,
  'gen_ai.usage.completion_tokens': 300,
  'gen_ai.usage.cache_read_input_tokens': 1024,
  'llm.usage.total_tokens': 1500,
  'gen_ai.prompt.0.role': 'user',
  'gen_ai.prompt.0.content': 'Summarise invoice INV-2231 for jane.doe@example.com',
  'gen_ai.completion.0.role': 'assistant',
  'gen_ai.completion.0.content': 'Invoice INV-2231: 3 lines, total 1,200 EUR.',
  'traceloop.workflow.name': 'invoice-triage',
  ...overrides,
});

const T0 = Date.now() - 60_000;

const setup = (options: Partial<RecorderOptions> = {}, resource: Attributes = {}) => {
  const client = new FakeEventBridge();
  const errors: RecorderError[] = [];
  const recorder = createRecorder({
    workflowId: 'default-workflow',
    source: 'acme.otel',
    client,
    onError: (error) => errors.push(error),
    ...options,
  });
  const processor = new GenAiUsageSpanProcessor({ recorder });
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'invoice-bot', ...resource }),
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@traceloop/instrumentation-openai', '0.11.0');
  /** Starts a span at T0 + startMs under an optional parent, ends it at T0 + endMs. */
  const span = (
    name: string,
    attributes: Attributes,
    times: { startMs: number; endMs: number },
    parent?: ReturnType<typeof tracer.startSpan>,
  ) => {
    const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
    const started = tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes, startTime: T0 + times.startMs },
      parentContext,
    );
    return { span: started, end: () => started.end(T0 + times.endMs) };
  };
  return { client, errors, recorder, processor, exporter, provider, tracer, span };
};

let shutdown: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(shutdown.map((fn) => fn()));
  shutdown = [];
});

describe('GenAiUsageSpanProcessor', () => {
  it('turns an OpenLLMetry chat span into one usage event with no other code', async () => {
    // Prepare
    const { client, provider, span } = setup({}, { 'yardstick.workflow.id': 'invoice-triage' });
    shutdown.push(() => provider.shutdown());
    const workflow = span(
      'invoice-triage.workflow',
      { 'traceloop.span.kind': 'workflow' },
      { startMs: 0, endMs: 2_000 },
    );
    const chat = span('openai.chat', openLlmetryChat(), { startMs: 100, endMs: 950 }, workflow.span);

    // Act
    chat.end();
    workflow.end();
    await provider.forceFlush();

    // Assess
    const { traceId, spanId } = chat.span.spanContext();
    expect(client.details()).toEqual([
      {
        schemaVersion: 1,
        eventId: `otel:${traceId}:${spanId}`,
        workflowId: 'invoice-triage',
        runId: traceId,
        occurredAt: new Date(T0 + 950).toISOString(),
        traceparent: `00-${traceId}-${spanId}-01`,
        model: 'gpt-4o-mini-2024-07-18',
        provider: 'openai',
        inputTokens: 1200,
        outputTokens: 300,
        cachedInputTokens: 1024,
        latencyMs: 850,
      },
    ]);
  });

  it('reads the current GenAI names, gen_ai.usage.cost as costUsd, and a span-level workflow id', async () => {
    // Prepare
    const { client, provider, span } = setup({}, { 'yardstick.workflow.id': 'from-resource' });
    shutdown.push(() => provider.shutdown());
    const chat = span(
      'chat claude-sonnet-4',
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 2_000,
        'gen_ai.usage.output_tokens': 150,
        'gen_ai.usage.cache_read.input_tokens': 1_500,
        'gen_ai.usage.cost': 0.00825,
        'yardstick.workflow.id': 'contract-review',
        'yardstick.run.id': 'run-42',
      },
      { startMs: 0, endMs: 1_234 },
    );

    // Act
    chat.end();
    await provider.forceFlush();

    // Assess
    expect(client.details()[0]).toMatchObject({
      workflowId: 'contract-review',
      runId: 'run-42',
      model: 'claude-sonnet-4-20250514',
      provider: 'anthropic',
      inputTokens: 2_000,
      outputTokens: 150,
      cachedInputTokens: 1_500,
      costUsd: 0.00825,
      latencyMs: 1_234,
    });
  });

  it('reads OpenInference LLM spans, and uses the recorder’s workflow when no attribute names one', async () => {
    // Prepare
    const { client, provider, span } = setup();
    shutdown.push(() => provider.shutdown());
    const llm = span(
      'ChatCompletion',
      {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'openai',
        'llm.model_name': 'gpt-4.1',
        'llm.token_count.prompt': 800,
        'llm.token_count.completion': 90,
        'llm.token_count.total': 890,
        'input.value': 'private input',
        'llm.input_messages.0.message.content': 'private message',
      },
      { startMs: 0, endMs: 400 },
    );

    // Act
    llm.end();
    await provider.forceFlush();

    // Assess
    expect(client.details()[0]).toMatchObject({
      workflowId: 'default-workflow',
      model: 'gpt-4.1',
      provider: 'openai',
      inputTokens: 800,
      outputTokens: 90,
      latencyMs: 400,
    });
  });

  it('counts nested GenAI spans once: the innermost span with usage, not the framework or agent spans around it', async () => {
    // Prepare
    const { client, provider, span } = setup();
    shutdown.push(() => provider.shutdown());
    const agent = span(
      'invoke_agent triage',
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 3_000,
        'gen_ai.usage.output_tokens': 400,
      },
      { startMs: 0, endMs: 3_000 },
    );
    const task = span(
      'extract.task',
      { 'traceloop.span.kind': 'task' },
      { startMs: 10, endMs: 2_900 },
      agent.span,
    );
    const langchain = span(
      'ChatOpenAI.chat',
      openLlmetryChat({ 'gen_ai.usage.prompt_tokens': 1_000, 'gen_ai.usage.completion_tokens': 100 }),
      { startMs: 20, endMs: 1_000 },
      task.span,
    );
    const openai = span(
      'openai.chat',
      openLlmetryChat({ 'gen_ai.usage.prompt_tokens': 1_000, 'gen_ai.usage.completion_tokens': 100 }),
      { startMs: 30, endMs: 990 },
      langchain.span,
    );
    const second = span(
      'openai.chat',
      openLlmetryChat({ 'gen_ai.usage.prompt_tokens': 2_000, 'gen_ai.usage.completion_tokens': 300 }),
      { startMs: 1_100, endMs: 2_800 },
      task.span,
    );
    const http = span('POST', { 'http.request.method': 'POST' }, { startMs: 40, endMs: 900 }, openai.span);

    // Act
    http.end();
    openai.end();
    langchain.end();
    second.end();
    task.end();
    agent.end();
    await provider.forceFlush();

    // Assess
    const details = client.details();
    expect(details.map((d) => d.eventId)).toEqual([
      `otel:${openai.span.spanContext().traceId}:${openai.span.spanContext().spanId}`,
      `otel:${second.span.spanContext().traceId}:${second.span.spanContext().spanId}`,
    ]);
    expect(details.reduce((sum, d) => sum + Number(d.inputTokens), 0)).toBe(3_000);
  });

  it('never reads prompt or completion content attributes', async () => {
    // Prepare
    const { client, exporter, provider, recorder, span } = setup();
    shutdown.push(() => provider.shutdown());
    span('openai.chat', openLlmetryChat(), { startMs: 0, endMs: 100 }).end();
    const [real] = exporter.getFinishedSpans();
    const read: string[] = [];
    const watched = new Proxy(real?.attributes ?? {}, {
      get: (target, key) => {
        read.push(String(key));
        return target[key as string];
      },
      ownKeys: () => {
        read.push('<enumerated>');
        return [];
      },
    });
    const spy = Object.create(real as object, { attributes: { value: watched } }) as ReadableSpan;

    // Act
    new GenAiUsageSpanProcessor({ recorder }).onEnd(spy);
    await recorder.flush();

    // Assess
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((key) => /content|<enumerated>|\.prompt\.\d|\.completion\.\d/.test(key))).toEqual([]);
    expect(JSON.stringify(client.calls)).not.toMatch(/INV-2231|jane/);
  });

  it('keeps the usage but leaves out an e-mail-like user id when no salt is configured', async () => {
    // Prepare
    const { client, errors, provider, span } = setup();
    shutdown.push(() => provider.shutdown());

    // Act
    span('openai.chat', openLlmetryChat({ 'user.id': 'jane.doe@example.com' }), {
      startMs: 0,
      endMs: 10,
    }).end();
    span('openai.chat', openLlmetryChat({ 'user.id': 'u-981' }), { startMs: 0, endMs: 10 }).end();
    await provider.forceFlush();

    // Assess
    expect(client.details().map((d) => d.userId)).toEqual([undefined, 'u-981']);
    expect(errors).toEqual([]);
  });

  it('ignores spans that are not GenAI calls with usage', () => {
    // Act & Assess
    expect(readGenAiUsage({ 'http.request.method': 'GET' })).toBeUndefined();
    expect(readGenAiUsage({ 'gen_ai.request.model': 'gpt-4o' })).toBeUndefined();
    expect(readGenAiUsage({ 'gen_ai.usage.input_tokens': 5 })).toBeUndefined();
    expect(
      readGenAiUsage({
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': '42',
        'gen_ai.usage.cost': -1,
      }),
    ).toEqual({ model: 'text-embedding-3-small', inputTokens: 42, outputTokens: 0 });
  });
});
