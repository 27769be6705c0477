import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** The PutEvents limits the recorder batches to. */
export const PutEventsLimits = {
  /** Entries per PutEvents call. */
  maxEntries: 10,
  /** Bytes per entry, and for the whole request, as EventBridge counts them. */
  maxBytes: 256 * 1024,
} as const;

const utf8 = (value: string | undefined): number => (value ? Buffer.byteLength(value, 'utf8') : 0);

/**
 * An entry's size as EventBridge computes it: 14 bytes for `Time` when set, plus the UTF-8 bytes of
 * `Source`, `DetailType`, `Detail` and each of `Resources`. `EventBusName` and `TraceHeader` do not count.
 *
 * @example
 * ```ts
 * entrySize({ Source: 'acme.bot', DetailType: 'ai.workflow.usage', Detail: '{}' }); // 27
 * ```
 */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time !== undefined ? 14 : 0) +
  utf8(entry.Source) +
  utf8(entry.DetailType) +
  utf8(entry.Detail) +
  (entry.Resources ?? []).reduce((sum, resource) => sum + utf8(resource), 0);
