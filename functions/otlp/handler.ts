import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Catalog } from '../../shared/catalog/schema.ts';
import { OtlpLimits } from '../../shared/limits.ts';
import { type ConversionContext, convertLogs, convertTraces } from '../../shared/otlp/convert.ts';
import {
  decodeLogs,
  decodeTraces,
  inflate,
  OtlpDecodeError,
  OtlpEncoding,
  type OtlpEncodingName,
} from '../../shared/otlp/decode.ts';
import { OtlpPublishError, publishEvents } from '../../shared/otlp/publish.ts';
import {
  errorAnswer,
  exportAnswer,
  type OtlpAnswer,
  OtlpSignal,
  type OtlpSignalName,
} from '../../shared/otlp/response.ts';
import { workflowResolver } from '../../shared/otlp/workflow.ts';

export interface OtlpHandlerDependencies {
  /** Which workflow a span belongs to (`telemetryNames`) and what evaluations mean (`evaluations`). */
  readonly catalog: Pick<Catalog, 'workflows'>;
  readonly eventBridge: EventBridgeClient;
  readonly busName: string;
  readonly logger: Logger;
}

export type OtlpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const SIGNAL_OF_PATH: Readonly<Record<string, OtlpSignalName>> = {
  '/v1/traces': OtlpSignal.traces,
  '/v1/logs': OtlpSignal.logs,
};

const encodingOf = (contentType: string | undefined): OtlpEncodingName | undefined => {
  const media = contentType?.split(';')[0]?.trim().toLowerCase();
  return media === OtlpEncoding.protobuf ? 'protobuf' : media === OtlpEncoding.json ? 'json' : undefined;
};

const toResult = (answer: OtlpAnswer): APIGatewayProxyStructuredResultV2 => ({
  statusCode: answer.statusCode,
  headers: { 'content-type': answer.contentType },
  // Protobuf is binary: API Gateway decodes a base64 body flagged as such before answering.
  ...(answer.contentType === OtlpEncoding.protobuf
    ? { body: answer.body.toString('base64'), isBase64Encoded: true }
    : { body: answer.body.toString('utf8') }),
});

/**
 * The OTLP/HTTP endpoint (docs/otlp.md): `POST /v1/traces` and `POST /v1/logs` in protobuf or JSON,
 * gzip or not, converted to contract events and sent to the bus, so the pipeline after it is
 * unchanged. Answers per the OTLP/HTTP specification: 200 with `partialSuccess` naming what was
 * rejected and why, 400 for an unreadable body, 415 for another content type, 503 (retryable) when
 * the bus refused events.
 *
 * @example
 * ```ts
 * export const handler = createOtlpHandler({ catalog, eventBridge: new EventBridgeClient({}), busName, logger });
 * ```
 */
export const createOtlpHandler = (deps: OtlpHandlerDependencies): OtlpHandler => {
  const context: ConversionContext = {
    resolveWorkflow: workflowResolver(deps.catalog),
    evaluationRules: (workflowId) => deps.catalog.workflows.find((w) => w.id === workflowId)?.evaluations,
  };
  const convert = (signal: OtlpSignalName, body: Buffer, encoding: OtlpEncodingName) =>
    signal === 'traces'
      ? convertTraces(decodeTraces(body, encoding), context)
      : convertLogs(decodeLogs(body, encoding), context);

  return async (event) => {
    const signal = SIGNAL_OF_PATH[event.rawPath];
    const headers = Object.fromEntries(
      Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const encoding = encodingOf(headers['content-type']);
    if (!signal)
      return toResult(
        errorAnswer(404, encoding ?? 'json', 'OTLP is served at POST /v1/traces and POST /v1/logs'),
      );
    if (event.requestContext.http.method !== 'POST') {
      return toResult(errorAnswer(405, encoding ?? 'json', `${event.rawPath} accepts POST only`));
    }
    if (!encoding) {
      return toResult(
        errorAnswer(
          415,
          'json',
          `unsupported content type "${headers['content-type'] ?? ''}": send ${OtlpEncoding.protobuf} or ${OtlpEncoding.json}`,
        ),
      );
    }
    const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (raw.length > OtlpLimits.maxBodyBytes) {
      return toResult(
        errorAnswer(
          413,
          encoding,
          `the body exceeds ${OtlpLimits.maxBodyBytes} bytes; export smaller batches`,
        ),
      );
    }
    let conversion: ReturnType<typeof convert>;
    try {
      conversion = convert(signal, inflate(raw, headers['content-encoding']), encoding);
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      deps.logger.warn('unreadable OTLP export', { signal, reason: error.message });
      return toResult(errorAnswer(400, encoding, error.message));
    }
    try {
      await publishEvents(deps, conversion.events);
    } catch (error) {
      deps.logger.error('OTLP events not accepted by the bus', { error: error as Error });
      const message = error instanceof OtlpPublishError ? error.message : 'the event bus is unavailable';
      return {
        ...toResult(errorAnswer(503, encoding, `${message}; retry`)),
        headers: { 'content-type': OtlpEncoding[encoding], 'retry-after': '1' },
      };
    }
    deps.logger.info('OTLP export converted', {
      signal,
      events: conversion.events.length,
      rejected: conversion.rejected,
    });
    return toResult(exportAnswer(signal, encoding, conversion.rejected, conversion.reasons.join('; ')));
  };
};
