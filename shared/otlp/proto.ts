import protobuf from 'protobufjs/light.js';

/**
 * The subset of the OTLP protobuf messages (opentelemetry-proto, `collector/{trace,logs}/v1`) the
 * endpoint reads and answers with, as a protobufjs JSON descriptor. Field numbers are those of the
 * specification; every field Yardstick never reads is left out, so protobufjs skips it unparsed —
 * span and log bodies, status, links, scopes, and so every prompt, completion and message content.
 */
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const field = (type: string, id: number) => ({ type, id });

const descriptor = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: {
            value: {
              oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue'],
            },
          },
          fields: {
            stringValue: field('string', 1),
            boolValue: field('bool', 2),
            intValue: field('int64', 3),
            doubleValue: field('double', 4),
            arrayValue: field('ArrayValue', 5),
            kvlistValue: field('KeyValueList', 6),
          },
        },
        ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
        KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
        KeyValue: { fields: { key: field('string', 1), value: field('AnyValue', 2) } },
        Resource: { fields: { attributes: repeated('KeyValue', 1) } },
        SpanEvent: {
          fields: {
            timeUnixNano: field('fixed64', 1),
            name: field('string', 2),
            attributes: repeated('KeyValue', 3),
          },
        },
        Span: {
          fields: {
            traceId: field('bytes', 1),
            spanId: field('bytes', 2),
            parentSpanId: field('bytes', 4),
            name: field('string', 5),
            startTimeUnixNano: field('fixed64', 7),
            endTimeUnixNano: field('fixed64', 8),
            attributes: repeated('KeyValue', 9),
            events: repeated('SpanEvent', 11),
            flags: field('fixed32', 16),
          },
        },
        ScopeSpans: { fields: { spans: repeated('Span', 2) } },
        ResourceSpans: { fields: { resource: field('Resource', 1), scopeSpans: repeated('ScopeSpans', 2) } },
        ExportTraceServiceRequest: { fields: { resourceSpans: repeated('ResourceSpans', 1) } },
        LogRecord: {
          fields: {
            timeUnixNano: field('fixed64', 1),
            attributes: repeated('KeyValue', 6),
            flags: field('fixed32', 8),
            traceId: field('bytes', 9),
            spanId: field('bytes', 10),
            observedTimeUnixNano: field('fixed64', 11),
            eventName: field('string', 12),
          },
        },
        ScopeLogs: { fields: { logRecords: repeated('LogRecord', 2) } },
        ResourceLogs: { fields: { resource: field('Resource', 1), scopeLogs: repeated('ScopeLogs', 2) } },
        ExportLogsServiceRequest: { fields: { resourceLogs: repeated('ResourceLogs', 1) } },
        ExportTracePartialSuccess: {
          fields: { rejectedSpans: field('int64', 1), errorMessage: field('string', 2) },
        },
        ExportTraceServiceResponse: { fields: { partialSuccess: field('ExportTracePartialSuccess', 1) } },
        ExportLogsPartialSuccess: {
          fields: { rejectedLogRecords: field('int64', 1), errorMessage: field('string', 2) },
        },
        ExportLogsServiceResponse: { fields: { partialSuccess: field('ExportLogsPartialSuccess', 1) } },
        /** google.rpc.Status, the body of an OTLP/HTTP error response. */
        Status: { fields: { code: field('int32', 1), message: field('string', 2) } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** The OTLP message types by name. */
export const OtlpTypes = {
  traceRequest: root.lookupType('otlp.ExportTraceServiceRequest'),
  logsRequest: root.lookupType('otlp.ExportLogsServiceRequest'),
  traceResponse: root.lookupType('otlp.ExportTraceServiceResponse'),
  logsResponse: root.lookupType('otlp.ExportLogsServiceResponse'),
  status: root.lookupType('otlp.Status'),
} as const;

/**
 * Options turning a decoded message into the same plain shape as OTLP/JSON: 64-bit integers as
 * decimal strings (never a rounded number), bytes as base64 (the caller turns ids into hex).
 */
export const TO_PLAIN = { longs: String, bytes: String, defaults: false } as const;
