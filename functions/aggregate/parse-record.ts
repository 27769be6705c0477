import type { SQSRecord } from 'aws-lambda';
import { RejectionCode } from '../../events/validate.ts';
import type { IncomingEvent } from '../../shared/ingest/count-batch.ts';
import { EventBridgeEnvelopeSchema as EventBridgeSchema } from './eventbridge-envelope.ts';

/**
 * Reads the EventBridge event carried in an SQS message body. An unreadable body becomes a rejection
 * so that it is quarantined rather than retried forever.
 */
export const incomingFromSqsRecord = (record: SQSRecord): IncomingEvent => {
  const ref = record.messageId;
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch (error) {
    return {
      ref,
      id: ref,
      body: record.body,
      rejection: {
        code: RejectionCode.invalidJson,
        message: `body is not JSON: ${(error as Error).message}`,
      },
    };
  }
  const envelope = EventBridgeSchema.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    return {
      ref,
      id: ref,
      body: record.body,
      rejection: {
        code: RejectionCode.invalidEnvelope,
        message: `not an EventBridge event: ${issue?.path.join('.')}: ${issue?.message}`,
      },
    };
  }
  return {
    ref,
    id: envelope.data.id,
    detailType: envelope.data['detail-type'],
    source: envelope.data.source,
    detail: envelope.data.detail,
    body: record.body,
    arrivedAtMs: Date.parse(envelope.data.time),
  };
};
