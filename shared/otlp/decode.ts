import { gunzipSync } from 'node:zlib';
import type { Attributes } from '@opentelemetry/api';
import { YardstickError } from '../errors.ts';
import { OtlpLimits } from '../limits.ts';
import { isRecord, toAttributes } from './attributes.ts';
import { OtlpTypes, TO_PLAIN } from './proto.ts';

/** The two OTLP/HTTP encodings, by their content types. */
export const OtlpEncoding = { protobuf: 'application/x-protobuf', json: 'application/json' } as const;
export type OtlpEncodingName = keyof typeof OtlpEncoding;

/** A request body that is not a readable OTLP payload (HTTP 400). */
export class OtlpDecodeError extends YardstickError {}

export interface OtlpSpanEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

export interface OtlpSpan {
  /** Lower-case hex, 32 digits. */
  readonly traceId: string;
  /** Lower-case hex, 16 digits. */
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly flags: number;
  readonly attributes: Attributes;
  readonly events: readonly OtlpSpanEvent[];
}

export interface OtlpLogRecord {
  readonly traceId?: string;
  readonly spanId?: string;
  readonly flags: number;
  /** The record's time, else its observed time, in Unix nanoseconds (0 when neither is set). */
  readonly timeUnixNano: bigint;
  readonly eventName?: string;
  readonly attributes: Attributes;
}

/** Spans, or log records, with the attributes of the resource that emitted them. */
export interface OtlpResourceItems<T> {
  readonly resource: Attributes;
  readonly items: readonly T[];
}

/** Inflates a gzip body within {@link OtlpLimits.maxInflatedBytes}; anything else is returned as is. */
export const inflate = (body: Buffer, contentEncoding: string | undefined): Buffer => {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip')
    throw new OtlpDecodeError(`unsupported Content-Encoding "${encoding}": send gzip or none`);
  try {
    return gunzipSync(body, { maxOutputLength: OtlpLimits.maxInflatedBytes });
  } catch (error) {
    throw new OtlpDecodeError(`the gzip body cannot be inflated: ${(error as Error).message}`);
  }
};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** OTLP/JSON spells ids in hex, protobuf carries bytes (base64 in the plain shape). */
const idOf = (value: unknown, bytes: number, encoding: OtlpEncodingName): string | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const hex = encoding === 'json' ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex');
  return new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(hex) && !/^0+$/.test(hex) ? hex : undefined;
};

const nanos = (value: unknown): bigint => {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  return 0n;
};

const flagsOf = (value: unknown): number => (typeof value === 'number' ? value >>> 0 : 0);

const spanOf = (raw: unknown, encoding: OtlpEncodingName): OtlpSpan | undefined => {
  if (!isRecord(raw)) return undefined;
  const traceId = idOf(raw.traceId, 16, encoding);
  const spanId = idOf(raw.spanId, 8, encoding);
  if (!traceId || !spanId) return undefined;
  const parentSpanId = idOf(raw.parentSpanId, 8, encoding);
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: typeof raw.name === 'string' ? raw.name : '',
    startTimeUnixNano: nanos(raw.startTimeUnixNano),
    endTimeUnixNano: nanos(raw.endTimeUnixNano),
    flags: flagsOf(raw.flags),
    attributes: toAttributes(raw.attributes),
    events: list(raw.events)
      .filter(isRecord)
      .map((event) => ({
        name: typeof event.name === 'string' ? event.name : '',
        timeUnixNano: nanos(event.timeUnixNano),
        attributes: toAttributes(event.attributes),
      })),
  };
};

const logOf = (raw: unknown, encoding: OtlpEncodingName): OtlpLogRecord | undefined => {
  if (!isRecord(raw)) return undefined;
  const traceId = idOf(raw.traceId, 16, encoding);
  const spanId = idOf(raw.spanId, 8, encoding);
  const time = nanos(raw.timeUnixNano);
  return {
    ...(traceId ? { traceId } : {}),
    ...(spanId ? { spanId } : {}),
    flags: flagsOf(raw.flags),
    timeUnixNano: time > 0n ? time : nanos(raw.observedTimeUnixNano),
    ...(typeof raw.eventName === 'string' && raw.eventName !== '' ? { eventName: raw.eventName } : {}),
    attributes: toAttributes(raw.attributes),
  };
};

/** What one export request holds, per resource, and how many items could not even be read. */
export interface Decoded<T> {
  readonly resources: readonly OtlpResourceItems<T>[];
  /** Items without the ids every span needs (counted as rejected). */
  readonly unreadable: number;
}

const plainOf = (body: Buffer, encoding: OtlpEncodingName, type: keyof typeof OtlpTypes): unknown => {
  if (encoding === 'json') {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new OtlpDecodeError(`the body is not valid JSON: ${(error as Error).message}`);
    }
  }
  try {
    const message = OtlpTypes[type].decode(body);
    return OtlpTypes[type].toObject(message, TO_PLAIN);
  } catch (error) {
    throw new OtlpDecodeError(`the body is not a valid OTLP protobuf message: ${(error as Error).message}`);
  }
};

const decode = <T>(
  plain: unknown,
  outer: string,
  inner: string,
  items: string,
  read: (raw: unknown) => T | undefined,
): Decoded<T> => {
  if (!isRecord(plain))
    throw new OtlpDecodeError(`the body is not an OTLP export request (expected an object with "${outer}")`);
  let unreadable = 0;
  const resources = list(plain[outer])
    .filter(isRecord)
    .map((resource) => {
      const raw = list(resource[inner]).flatMap((scope) => (isRecord(scope) ? list(scope[items]) : []));
      const readItems = raw.map(read);
      unreadable += readItems.filter((item) => item === undefined).length;
      return {
        resource: toAttributes(isRecord(resource.resource) ? resource.resource.attributes : undefined),
        items: readItems.filter((item): item is NonNullable<typeof item> => item !== undefined),
      };
    });
  return { resources, unreadable };
};

/**
 * Decodes an `ExportTraceServiceRequest` body (already inflated) in either encoding.
 *
 * @example
 * ```ts
 * const { resources } = decodeTraces(body, 'protobuf');
 * resources[0]?.items[0]?.attributes['gen_ai.request.model'];
 * ```
 */
export const decodeTraces = (body: Buffer, encoding: OtlpEncodingName): Decoded<OtlpSpan> =>
  decode(plainOf(body, encoding, 'traceRequest'), 'resourceSpans', 'scopeSpans', 'spans', (raw) =>
    spanOf(raw, encoding),
  );

/** Decodes an `ExportLogsServiceRequest` body (already inflated) in either encoding. */
export const decodeLogs = (body: Buffer, encoding: OtlpEncodingName): Decoded<OtlpLogRecord> =>
  decode(plainOf(body, encoding, 'logsRequest'), 'resourceLogs', 'scopeLogs', 'logRecords', (raw) =>
    logOf(raw, encoding),
  );
