import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { FunctionPermissions, withoutActions } from '../../shared/config/permissions.ts';
import { dayRangeAround, getJson, startTestLocalMode } from '../support/local-mode.ts';

const run = promisify(execFile);

const CATALOG = parseCatalog(
  {
    version: 1,
    workflows: [
      {
        id: 'otel-support',
        name: 'Support assistant (OTLP)',
        ownerTeam: 'Support',
        stage: 'pilot',
        telemetryNames: ['support-bot'],
        evaluations: [{ name: 'relevance', qualityScore: true }],
      },
    ],
  },
  'test catalog',
);

/** A finished GenAI span, made by the real SDK, ended a minute ago. */
const genAiSpans = (
  resource: Record<string, string>,
  spans: readonly { name: string; attributes: Record<string, string | number> }[],
): ReadableSpan[] => {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const end = Date.now() - 60_000;
  for (const { name, attributes } of spans) {
    provider
      .getTracer('test')
      .startSpan(name, { attributes, startTime: end - 850 })
      .end(end);
  }
  return memory.getFinishedSpans();
};

const exportWith = (exporter: SpanExporter, spans: ReadableSpan[]) =>
  new Promise<void>((resolve, reject) =>
    exporter.export(spans, (result) =>
      result.code === ExportResultCode.SUCCESS
        ? resolve()
        : reject(result.error ?? new Error('export failed')),
    ),
  );

describe('the OTLP endpoint in local mode', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  let otlpUrl: string;
  const totals = async (workflowId: string) => {
    await local.drain();
    const { from, to } = dayRangeAround(Date.now());
    const { body } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/${workflowId}/metrics?granularity=day&from=${from}&to=${to}`,
    );
    return body.totals;
  };

  beforeAll(async () => {
    local = await startTestLocalMode({ otlpPort: 0, catalog: CATALOG });
    otlpUrl = local.otlpUrl ?? '';
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it('counts the tokens and priced cost of a GenAI span the OpenTelemetry SDK exports over http/json', async () => {
    // Prepare
    const spans = genAiSpans({ 'yardstick.workflow.id': 'otel-json', 'service.name': 'json-app' }, [
      {
        name: 'chat gpt-4o-mini',
        attributes: {
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 200,
          'gen_ai.input.messages': '[{"role":"user","content":"a secret prompt"}]',
        },
      },
    ]);
    const exporter = new JsonTraceExporter({ url: `${otlpUrl}/v1/traces` });

    // Act
    await exportWith(exporter, spans);
    await exporter.shutdown();

    // Assess: 1000 × $0.15/M + 200 × $0.60/M = $0.00027, priced from the dated default table
    expect(await totals('otel-json')).toMatchObject({
      usageEvents: 1,
      inputTokens: 1000,
      outputTokens: 200,
      costUsd: 0.00027,
      costCatalogPricedUsd: 0.00027,
      latencyP50Ms: expect.any(Number),
    });
  });

  it('prices a Bedrock model id over http/protobuf like its vendor, with cache reads and writes at their rates, once however often the span is exported', async () => {
    // Prepare: the workflow comes from service.name, mapped by the catalog's telemetryNames
    const spans = genAiSpans({ 'service.name': 'support-bot' }, [
      {
        name: 'chat claude',
        attributes: {
          'gen_ai.system': 'aws.bedrock',
          'gen_ai.request.model': 'us.anthropic.claude-sonnet-4-20250514-v1:0',
          'gen_ai.usage.input_tokens': 10_000,
          'gen_ai.usage.cache_read.input_tokens': 4_000,
          'gen_ai.usage.cache_creation.input_tokens': 2_000,
          'gen_ai.usage.output_tokens': 1_000,
        },
      },
    ]);
    const exporter = new ProtoTraceExporter({ url: `${otlpUrl}/v1/traces` });

    // Act: an exporter's retry sends the same span again
    await exportWith(exporter, spans);
    await exportWith(exporter, spans);
    await exporter.shutdown();

    // Assess: 4,000 uncached × $3/M + 4,000 read × $0.30/M + 2,000 written × $3.75/M + 1,000 × $15/M
    const expectedUsd = (4_000 * 3 + 4_000 * 0.3 + 2_000 * 3.75 + 1_000 * 15) / 1_000_000;
    expect(await totals('otel-support')).toMatchObject({
      usageEvents: 1,
      inputTokens: 10_000,
      cachedInputTokens: 4_000,
      outputTokens: 1_000,
      costUsd: expectedUsd,
    });
  });

  it('turns gen_ai.evaluation.result log records into overrides by default and into quality scores where the catalog says so', async () => {
    // Prepare
    const exporter = new OTLPLogExporter({ url: `${otlpUrl}/v1/logs` });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('evaluations');
    const evaluation = (attributes: Record<string, string | number>) =>
      logger.emit({
        eventName: 'gen_ai.evaluation.result',
        severityNumber: SeverityNumber.INFO,
        timestamp: Date.now() - 30_000,
        attributes,
      });

    // Act
    evaluation({ 'gen_ai.evaluation.name': 'human_review', 'gen_ai.evaluation.score.label': 'rejected' });
    evaluation({ 'gen_ai.evaluation.name': 'human_review', 'gen_ai.evaluation.score.label': 'Accepted' });
    evaluation({ 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 0.8 });
    await provider.forceFlush();
    await provider.shutdown();

    // Assess
    expect(await totals('otel-support')).toMatchObject({
      accepted: 1,
      rejected: 1,
      succeeded: 1,
      avgQualityScore: 0.8,
    });
  });

  it('answers a curl with a gzip JSON payload, reporting unmapped spans as rejected with the reason and ignoring spans without usage', async () => {
    // Prepare
    const end = BigInt(Date.now() - 60_000) * 1_000_000n;
    const span = (spanId: string, attributes: Record<string, unknown>[]) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId,
      name: 'chat',
      startTimeUnixNano: String(end - 400_000_000n),
      endTimeUnixNano: String(end),
      attributes,
    });
    const payload = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'unknown-app' } }] },
          scopeSpans: [
            {
              spans: [
                span('eee19b7ec3c1b174', [
                  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
                  { key: 'gen_ai.usage.output_tokens', value: { intValue: 3 } },
                  { key: 'yardstick.workflow.id', value: { stringValue: 'otel-curl' } },
                ]),
                span('eee19b7ec3c1b175', [
                  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: '5' } },
                ]),
                span('eee19b7ec3c1b176', [{ key: 'http.route', value: { stringValue: '/health' } }]),
              ],
            },
          ],
        },
      ],
    };

    const file = join(mkdtempSync(join(tmpdir(), 'otlp-')), 'spans.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify(payload)));

    // Act
    const { stdout } = await run('curl', [
      '-sS',
      '-w',
      '\n%{http_code}',
      '-H',
      'Content-Type: application/json',
      '-H',
      'Content-Encoding: gzip',
      '--data-binary',
      `@${file}`,
      `${otlpUrl}/v1/traces`,
    ]);
    const [body = '', status = ''] = stdout.split('\n');
    const answer = JSON.parse(body) as { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };

    // Assess
    expect(status).toBe('200');
    expect(answer.partialSuccess?.rejectedSpans).toBe('1');
    expect(answer.partialSuccess?.errorMessage).toContain('no workflow');
    expect(answer.partialSuccess?.errorMessage).toContain('"unknown-app"');
    expect(await totals('otel-curl')).toMatchObject({ usageEvents: 1, inputTokens: 12, outputTokens: 3 });
  });

  it('answers the smallest curl JSON export with an empty success, and counts its span', async () => {
    // Prepare
    const end = BigInt(Date.now() - 60_000) * 1_000_000n;
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'yardstick.workflow.id', value: { stringValue: 'otel-smallest' } }],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'chat gpt-4o-mini',
                  startTimeUnixNano: String(end - 850_000_000n),
                  endTimeUnixNano: String(end),
                  attributes: [
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: 1000 } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: 200 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });

    // Act
    const { stdout } = await run('curl', [
      '-sS',
      '-w',
      '\n%{http_code}',
      '-H',
      'Content-Type: application/json',
      '-d',
      body,
      `${otlpUrl}/v1/traces`,
    ]);

    // Assess
    expect(stdout).toBe('{}\n200');
    expect(await totals('otel-smallest')).toMatchObject({
      usageEvents: 1,
      costUsd: 0.00027,
      latencyP50Ms: expect.any(Number),
    });
  });

  it('refuses another path with 404, another method with 405, another content type with 415 and an unreadable body with 400, in the encoding asked for', async () => {
    // Act
    const text = await fetch(`${otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    const json = await fetch(`${otlpUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceLogs": [',
    });
    const protobuf = await fetch(`${otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]),
    });

    const metrics = await fetch(`${otlpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const get = await fetch(`${otlpUrl}/v1/traces`);

    // Assess
    expect(metrics.status).toBe(404);
    expect(get.status).toBe(405);
    expect(text.status).toBe(415);
    expect(((await text.json()) as { message: string }).message).toContain('application/x-protobuf');
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message: string }).message).toContain('not valid JSON');
    expect(protobuf.status).toBe(400);
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
  });

  it('answers 503, retryable, when the otlp function lacks events:PutEvents, as its role would on AWS', async () => {
    // Prepare: a second local mode whose otlp function is denied PutEvents
    const denied: string[] = [];
    const narrowed = await startTestLocalMode({
      otlpPort: 0,
      catalog: CATALOG,
      iam: {
        permissions: { otlp: withoutActions(FunctionPermissions.otlp, ['events:PutEvents']) },
        onDenied: (fn, error) => denied.push(`${fn}:${error.action}`),
      },
    });
    const spans = genAiSpans({ 'yardstick.workflow.id': 'otel-denied' }, [
      {
        name: 'chat',
        attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1 },
      },
    ]);
    const exporter = new ProtoTraceExporter({ url: `${narrowed.otlpUrl}/v1/traces`, timeoutMillis: 5_000 });

    try {
      // Act
      const outcome = await exportWith(exporter, spans).then(
        () => 'exported',
        (error: Error) => error.message,
      );

      const direct = await fetch(`${narrowed.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceSpans: [
            {
              resource: {
                attributes: [{ key: 'yardstick.workflow.id', value: { stringValue: 'otel-denied' } }],
              },
              scopeSpans: [
                {
                  spans: [
                    {
                      traceId: '0af7651916cd43dd8448eb211c80319d',
                      spanId: 'b7ad6b7169203332',
                      startTimeUnixNano: String(BigInt(Date.now() - 1_000) * 1_000_000n),
                      endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                      attributes: [
                        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                        { key: 'gen_ai.usage.input_tokens', value: { intValue: 1 } },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        }),
      });

      // Assess
      expect(outcome).not.toBe('exported');
      expect(direct.status).toBe(503);
      expect(direct.headers.get('retry-after')).toBe('1');
      expect(denied).toContain('otlp:events:PutEvents');
    } finally {
      await exporter.shutdown();
      await narrowed.stop();
      await narrowed.dropTable();
    }
  });
});
