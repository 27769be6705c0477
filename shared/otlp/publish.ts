import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { takeBatch } from '../../events/recorder/batch.ts';
import { entrySize } from '../../events/recorder/entry-size.ts';
import { YardstickError } from '../errors.ts';
import type { BusEvent } from './convert.ts';

/** The EventBridge source of the events the OTLP endpoint converts (allow it in a workflow's `sources`). */
export const OTLP_SOURCE = 'yardstick.otlp';

/** Entries EventBridge still refused after the retries: the exporter should retry (HTTP 503). */
export class OtlpPublishError extends YardstickError {}

/** Attempts per entry: a refused entry (throttling, an internal error) is sent again, alone with the other refused ones. */
const ATTEMPTS = 3;

export interface PublishTarget {
  readonly eventBridge: EventBridgeClient;
  readonly busName: string;
}

/**
 * Sends converted events to the bus through PutEvents in batches of at most 10 entries and 256 KB
 * (the recorder's own batching), retrying only the entries EventBridge refused. Re-sending is safe:
 * every eventId is deterministic, so a duplicate counts once.
 *
 * @example
 * ```ts
 * await publishEvents({ eventBridge: new EventBridgeClient({}), busName: 'yardstick' }, conversion.events);
 * ```
 */
export const publishEvents = async (target: PublishTarget, events: readonly BusEvent[]): Promise<void> => {
  let pending = events.map((event) => {
    const entry: PutEventsRequestEntry = {
      Source: OTLP_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: target.busName,
    };
    return { entry, size: entrySize(entry) };
  });
  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS && pending.length > 0; attempt++) {
    const refused: typeof pending = [];
    const queue = [...pending];
    while (queue.length > 0) {
      const batch = takeBatch(queue);
      // An entry above 256 KB on its own cannot be sent; contract events are a few hundred bytes.
      if (batch.length === 0) throw new OtlpPublishError('an event is larger than a PutEvents request');
      const result = await target.eventBridge.send(
        new PutEventsCommand({ Entries: batch.map((item) => item.entry) }),
      );
      (result.Entries ?? []).forEach((answer, index) => {
        const item = batch[index];
        if (answer.ErrorCode && item) {
          refused.push(item);
          lastError = `${answer.ErrorCode}: ${answer.ErrorMessage ?? ''}`;
        }
      });
    }
    pending = refused;
  }
  if (pending.length > 0) {
    throw new OtlpPublishError(`${pending.length} events were not accepted by the bus (${lastError})`);
  }
};
