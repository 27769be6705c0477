import { OtlpEncoding, type OtlpEncodingName } from './decode.ts';
import { OtlpTypes } from './proto.ts';

/** The two OTLP/HTTP export signals the endpoint serves. */
export const OtlpSignal = { traces: 'traces', logs: 'logs' } as const;
export type OtlpSignalName = keyof typeof OtlpSignal;

/** An HTTP answer, body already encoded. */
export interface OtlpAnswer {
  readonly statusCode: number;
  readonly contentType: string;
  readonly body: Buffer;
}

const REJECTED_FIELD = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' } as const;
const RESPONSE_TYPE = { traces: OtlpTypes.traceResponse, logs: OtlpTypes.logsResponse } as const;

/** Keeps the message readable in an exporter's log line. */
const MAX_MESSAGE_CHARS = 2_000;

/**
 * The success answer of the OTLP/HTTP specification: HTTP 200 with an `Export…ServiceResponse` in the
 * request's encoding; `partialSuccess` carries the count of rejected items and why, and is left out
 * when everything was accepted.
 *
 * @example
 * ```ts
 * exportAnswer('traces', 'json', 1, 'span 1: no workflow …'); // 200, {"partialSuccess":{"rejectedSpans":"1","errorMessage":"…"}}
 * ```
 */
export const exportAnswer = (
  signal: OtlpSignalName,
  encoding: OtlpEncodingName,
  rejected: number,
  errorMessage: string,
): OtlpAnswer => {
  const message =
    errorMessage.length > MAX_MESSAGE_CHARS
      ? `${errorMessage.slice(0, MAX_MESSAGE_CHARS - 1)}…`
      : errorMessage;
  const partialSuccess =
    rejected > 0 || message !== ''
      ? { [REJECTED_FIELD[signal]]: String(rejected), errorMessage: message }
      : undefined;
  const plain = partialSuccess ? { partialSuccess } : {};
  const body =
    encoding === 'json'
      ? Buffer.from(JSON.stringify(plain))
      : Buffer.from(RESPONSE_TYPE[signal].encode(RESPONSE_TYPE[signal].fromObject(plain)).finish());
  return { statusCode: 200, contentType: OtlpEncoding[encoding], body };
};

/**
 * An error answer: the HTTP status with a `google.rpc.Status` body in the request's encoding (JSON
 * when the encoding itself is what is wrong).
 */
export const errorAnswer = (statusCode: number, encoding: OtlpEncodingName, message: string): OtlpAnswer => {
  // gRPC codes: INVALID_ARGUMENT for a bad request, UNAVAILABLE for a retryable failure.
  const status = { code: statusCode >= 500 ? 14 : 3, message: message.slice(0, MAX_MESSAGE_CHARS) };
  const body =
    encoding === 'json'
      ? Buffer.from(JSON.stringify(status))
      : Buffer.from(OtlpTypes.status.encode(OtlpTypes.status.fromObject(status)).finish());
  return { statusCode, contentType: OtlpEncoding[encoding], body };
};
