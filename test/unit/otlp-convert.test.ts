import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { convertLogs, convertTraces } from '../../shared/otlp/convert.ts';
import { decodeLogs, decodeTraces, inflate, OtlpDecodeError } from '../../shared/otlp/decode.ts';
import { OtlpTypes } from '../../shared/otlp/proto.ts';
import { errorAnswer, exportAnswer } from '../../shared/otlp/response.ts';
import { workflowResolver } from '../../shared/otlp/workflow.ts';

const { catalog } = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: 'support-assistant',
        name: 'Support',
        ownerTeam: 'Support',
        stage: 'pilot',
        telemetryNames: ['support-bot'],
        evaluations: [
          { name: 'human_review', label: 'thumbs_down', decision: 'rejected' },
          { name: 'relevance', qualityScore: true },
        ],
      },
    ],
  },
  'unit catalog',
);
const context = {
  resolveWorkflow: workflowResolver(catalog),
  evaluationRules: (id: string) => catalog.workflows.find((w) => w.id === id)?.evaluations,
};

const TRACE = '5b8efff798038103d269b633813fc60c';
const END = 1_795_000_000_000_000_000n;
const kv = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : { intValue: String(value) },
});
const span = (spanId: string, attributes: ReturnType<typeof kv>[], extra: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId,
  name: 'chat',
  startTimeUnixNano: String(END - 1_234_500_000n),
  endTimeUnixNano: String(END),
  attributes,
  ...extra,
});
const traces = (resource: ReturnType<typeof kv>[], spans: unknown[]) =>
  Buffer.from(
    JSON.stringify({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans }] }] }),
  );

describe('convertTraces', () => {
  it('reads model, provider, every token count and latency from a GenAI span, never its content, with a retry-stable eventId', () => {
    // Prepare
    const body = traces(
      [kv('yardstick.workflow.id', 'support-assistant')],
      [
        span('eee19b7ec3c1b174', [
          kv('gen_ai.system', 'anthropic'),
          kv('gen_ai.request.model', 'claude-sonnet-4'),
          kv('gen_ai.response.model', 'claude-sonnet-4-20250514'),
          kv('gen_ai.usage.input_tokens', 900),
          kv('gen_ai.usage.output_tokens', 120),
          kv('gen_ai.usage.cache_read.input_tokens', 300),
          kv('gen_ai.usage.cache_creation.input_tokens', 200),
          kv('gen_ai.usage.reasoning.output_tokens', 50),
          kv('gen_ai.input.messages', 'my secret prompt'),
          kv('gen_ai.output.messages', 'the answer'),
        ]),
      ],
    );

    // Act
    const result = convertTraces(decodeTraces(body, 'json'), context);

    // Assess
    expect(result.rejected).toBe(0);
    expect(result.events).toEqual([
      {
        detailType: 'ai.workflow.usage',
        detail: {
          schemaVersion: 1,
          eventId: `otel:${TRACE}:eee19b7ec3c1b174`,
          workflowId: 'support-assistant',
          runId: TRACE,
          occurredAt: new Date(Number(END / 1_000_000n)).toISOString(),
          model: 'claude-sonnet-4-20250514',
          provider: 'anthropic',
          inputTokens: 900,
          outputTokens: 120,
          cachedInputTokens: 300,
          cacheCreationInputTokens: 200,
          reasoningOutputTokens: 50,
          latencyMs: 1235,
          traceparent: `00-${TRACE}-eee19b7ec3c1b174-00`,
        },
      },
    ]);
    expect(JSON.stringify(result.events)).not.toMatch(/secret|answer/);
  });

  it("reads OpenInference's names too, and decodes protobuf ids from bytes", () => {
    // Prepare
    const message = OtlpTypes.traceRequest.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', 'support-bot')] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(TRACE, 'hex'),
                  spanId: Buffer.from('00f067aa0ba902b7', 'hex'),
                  startTimeUnixNano: String(END - 2_000_000n),
                  endTimeUnixNano: String(END),
                  attributes: [
                    kv('llm.model_name', 'gpt-4o-mini'),
                    kv('llm.provider', 'openai'),
                    kv('llm.token_count.prompt', 40),
                    kv('llm.token_count.completion', 8),
                    kv('llm.token_count.prompt_details.cache_read', 16),
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const body = Buffer.from(OtlpTypes.traceRequest.encode(message).finish());

    // Act
    const result = convertTraces(decodeTraces(body, 'protobuf'), context);

    // Assess
    expect(result.events[0]?.detail).toMatchObject({
      eventId: `otel:${TRACE}:00f067aa0ba902b7`,
      workflowId: 'support-assistant',
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 40,
      outputTokens: 8,
      cachedInputTokens: 16,
      latencyMs: 2,
    });
  });

  it('rejects GenAI spans of no workflow with the reason, ignores spans without usage, and counts only the innermost of nested usage spans', () => {
    // Prepare
    const usage = [kv('gen_ai.request.model', 'gpt-4o'), kv('gen_ai.usage.input_tokens', 10)];
    const body = traces(
      [kv('service.name', 'billing')],
      [
        span('0000000000000001', usage),
        span('0000000000000002', [kv('http.route', '/health')]),
        span('0000000000000003', [...usage, kv('gen_ai.workflow.name', 'support-bot')]),
        span('0000000000000004', [...usage, kv('gen_ai.workflow.name', 'support-bot')], {
          parentSpanId: '0000000000000003',
        }),
      ],
    );

    // Act
    const result = convertTraces(decodeTraces(body, 'json'), context);

    // Assess
    expect(result.rejected).toBe(1);
    expect(result.reasons).toEqual([
      'no workflow: set yardstick.workflow.id, or map gen_ai.workflow.name or service.name in the catalog ("billing" not in any catalog workflow\'s telemetryNames)',
    ]);
    expect(result.events.map((event) => event.detail.eventId)).toEqual([`otel:${TRACE}:0000000000000004`]);
  });

  it("turns a gen_ai.evaluation.result span event into an override on the span's run, beside the span's usage", () => {
    // Prepare
    const body = traces(
      [kv('service.name', 'support-bot')],
      [
        span('0000000000000007', [kv('gen_ai.request.model', 'gpt-4o'), kv('gen_ai.usage.input_tokens', 7)], {
          events: [
            {
              name: 'gen_ai.evaluation.result',
              timeUnixNano: String(END),
              attributes: [
                kv('gen_ai.evaluation.name', 'human_review'),
                kv('gen_ai.evaluation.score.label', 'THUMBS_DOWN'),
              ],
            },
          ],
        }),
      ],
    );

    // Act
    const result = convertTraces(decodeTraces(body, 'json'), context);

    // Assess
    expect(result.events.map((event) => [event.detailType, event.detail.runId])).toEqual([
      ['ai.workflow.usage', TRACE],
      ['ai.workflow.override', TRACE],
    ]);
    expect(result.events[1]?.detail).toMatchObject({ decision: 'rejected', workflowId: 'support-assistant' });
  });

  it('rejects a usage span without a start time instead of inventing its latency', () => {
    // Prepare
    const body = traces(
      [kv('yardstick.workflow.id', 'support-assistant')],
      [
        span('0000000000000006', [kv('gen_ai.request.model', 'gpt-4o'), kv('gen_ai.usage.input_tokens', 7)], {
          startTimeUnixNano: '0',
        }),
      ],
    );

    // Act
    const result = convertTraces(decodeTraces(body, 'json'), context);

    // Assess
    expect(result.events).toEqual([]);
    expect(result.reasons).toEqual(['span 0000000000000006 has no start and end time, so no latency']);
  });

  it('rejects a span whose usage breaks the contract, naming the field', () => {
    // Prepare
    const body = traces(
      [kv('yardstick.workflow.id', 'support-assistant')],
      [
        span('0000000000000005', [
          kv('gen_ai.request.model', 'gpt-4o'),
          kv('gen_ai.usage.input_tokens', 2_000_000_000),
        ]),
      ],
    );

    // Act
    const result = convertTraces(decodeTraces(body, 'json'), context);

    // Assess
    expect(result.rejected).toBe(1);
    expect(result.reasons[0]).toMatch(/^inputTokens must be at most 1000000000 tokens/);
  });
});

describe('convertLogs', () => {
  const evaluation = (attributes: ReturnType<typeof kv>[], extra: Record<string, unknown> = {}) =>
    Buffer.from(
      JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [kv('service.name', 'support-bot')] },
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: String(END),
                    eventName: 'gen_ai.evaluation.result',
                    traceId: TRACE,
                    spanId: '00f067aa0ba902b7',
                    attributes,
                    ...extra,
                  },
                ],
              },
            ],
          },
        ],
      }),
    );

  it.each([
    ['a catalog rule', 'human_review', 'thumbs_down', 'rejected'],
    ['the default mapping of a decision label', 'review', 'Edited', 'edited'],
  ])('turns an evaluation into an override by %s', (_how, name, label, decision) => {
    // Act
    const result = convertLogs(
      decodeLogs(
        evaluation([kv('gen_ai.evaluation.name', name), kv('gen_ai.evaluation.score.label', label)]),
        'json',
      ),
      context,
    );

    // Assess
    expect(result.events).toEqual([
      {
        detailType: 'ai.workflow.override',
        detail: expect.objectContaining({ decision, workflowId: 'support-assistant', runId: TRACE }),
      },
    ]);
  });

  it('turns a scored evaluation into the quality score of an outcome where the catalog says so, and refuses an unmapped one', () => {
    // Prepare
    const scored = evaluation([
      kv('gen_ai.evaluation.name', 'relevance'),
      { key: 'gen_ai.evaluation.score.value', value: { doubleValue: 0.75 } } as never,
    ]);
    const unmapped = evaluation([
      kv('gen_ai.evaluation.name', 'toxicity'),
      kv('gen_ai.evaluation.score.label', 'pass'),
    ]);

    // Act
    const quality = convertLogs(decodeLogs(scored, 'json'), context);
    const refused = convertLogs(decodeLogs(unmapped, 'json'), context);

    // Assess
    expect(quality.events[0]).toMatchObject({
      detailType: 'ai.workflow.outcome',
      detail: { status: 'succeeded', qualityScore: 0.75 },
    });
    expect(refused.rejected).toBe(1);
    expect(refused.reasons[0]).toContain('evaluation "toxicity" labelled "pass" maps to no decision');
  });

  it('gives the same evaluation the same eventId on every export', () => {
    // Prepare
    const body = evaluation([
      kv('gen_ai.evaluation.name', 'review'),
      kv('gen_ai.evaluation.score.label', 'accepted'),
    ]);

    // Act
    const first = convertLogs(decodeLogs(body, 'json'), context).events[0]?.detail.eventId;
    const again = convertLogs(decodeLogs(body, 'json'), context).events[0]?.detail.eventId;

    // Assess
    expect(first).toMatch(/^otel-eval:[0-9a-f]{40}$/);
    expect(again).toBe(first);
  });
});

describe('decoding and answers', () => {
  it('refuses an unreadable body, an unknown content encoding and a gzip body inflating beyond the limit', () => {
    // Act / Assess
    expect(() => decodeTraces(Buffer.from('{"resourceSpans": ['), 'json')).toThrow(OtlpDecodeError);
    expect(() => decodeTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), 'protobuf')).toThrow(
      OtlpDecodeError,
    );
    expect(() => inflate(Buffer.from('x'), 'br')).toThrow('unsupported Content-Encoding "br"');
    expect(() => inflate(Buffer.from('not gzip'), 'gzip')).toThrow('cannot be inflated');
  });

  it('answers a partial success in the encoding of the request, and nothing when all was accepted', () => {
    // Act
    const json = exportAnswer('logs', 'json', 2, 'two reasons');
    const empty = exportAnswer('traces', 'json', 0, '');
    const protobuf = exportAnswer('traces', 'protobuf', 1, 'a reason');
    const error = errorAnswer(400, 'protobuf', 'bad body');

    // Assess
    expect(JSON.parse(json.body.toString())).toEqual({
      partialSuccess: { rejectedLogRecords: '2', errorMessage: 'two reasons' },
    });
    expect(empty.body.toString()).toBe('{}');
    expect(
      OtlpTypes.traceResponse.toObject(OtlpTypes.traceResponse.decode(protobuf.body), { longs: String }),
    ).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: 'a reason' },
    });
    expect(OtlpTypes.status.toObject(OtlpTypes.status.decode(error.body))).toEqual({
      code: 3,
      message: 'bad body',
    });
    expect(error.statusCode).toBe(400);
  });
});
