import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { type AcceptedEvent, IngestOutcome, type IngestResult } from '../port.ts';
import { runPool } from './pool.ts';
import { recordedItem } from './recorded-event-codec.ts';
import { backOff } from './retry.ts';

/** DynamoDB's limits per request. */
const BATCH_GET_KEYS = 100;
const BATCH_WRITE_ITEMS = 25;

export interface RecordedEventWriterOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Requests in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Attempts for items DynamoDB left unprocessed (throttling). @default 6 */
  readonly maxAttempts?: number;
  /** Epoch seconds the items expire at; undefined keeps them (imports). */
  readonly expiresAt: () => number | undefined;
  readonly writeShardsOf: (workflowId: string) => number;
  /** Hook run before each BatchWriteItem; tests inject crashes here. */
  readonly beforeWrite?: (index: number) => void | Promise<void>;
  readonly onRequest?: (kind: 'read' | 'write') => void;
}

type Item = Record<string, AttributeValue>;
type Pending = { readonly accepted: AcceptedEvent; readonly item: Item };
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
const keyOf = (item: Item) => `${item.pk?.S}\u0000${item.sk?.S}`;

/**
 * Records events exactly once, at one write unit per new event: the batch's keys are looked up first
 * (BatchGetItem: a found key is a duplicate, or a conflict when its fingerprint differs, reported at
 * once and costing no write), then the new events are written with BatchWriteItem, 25 to a request.
 * The write that creates an item is the moment its event counts: the table's stream delivers the
 * INSERT to the counters function. Two deliveries racing past the lookup are safe: an identical copy
 * leaves the item unchanged (no stream record, nothing counted twice), and a different version
 * overwrites it, which the counters function sees as a MODIFY, never counts, and undoes
 * (docs/counting.md, "How an event is counted").
 *
 * A request DynamoDB refuses for its content (an item over 400 KB) is split until the event to blame
 * stands alone; items left unprocessed (throttling) are retried with backoff, then reported failed so
 * the queue redelivers them. Nothing one event does holds back another.
 *
 * @example
 * ```ts
 * const result = await recordEvents(accepted, { client, tableName, expiresAt: () => undefined, writeShardsOf: () => 1 });
 * ```
 */
export const recordEvents = async (
  events: readonly AcceptedEvent[],
  options: RecordedEventWriterOptions,
): Promise<IngestResult> => {
  const result = {
    outcomes: new Map(),
    failures: new Map(),
    refused: new Map(),
    storedFingerprints: new Map(),
  } satisfies IngestResult;
  const expiresAt = options.expiresAt();
  const items = events.map((accepted) => ({
    accepted,
    item: recordedItem(accepted, {
      expiresAt,
      writeShards: options.writeShardsOf(accepted.event.detail.workflowId),
    }),
  }));
  const concurrency = options.concurrency ?? 8;

  // One item per key: a second copy of an event in the same call is judged against the first.
  const firstByKey = new Map<string, Pending>();
  const repeats: Pending[] = [];
  for (const pending of items) {
    const key = keyOf(pending.item);
    if (firstByKey.has(key)) repeats.push(pending);
    else firstByKey.set(key, pending);
  }
  const unique = [...firstByKey.values()];

  const stored = new Map<string, string>();
  await runPool(chunks(unique, BATCH_GET_KEYS), concurrency, async (chunk) => {
    try {
      for (const item of await readFingerprints(
        chunk.map((c) => c.item),
        options,
      )) {
        stored.set(keyOf(item), item.fingerprint?.S ?? '');
      }
    } catch (error) {
      for (const { accepted } of chunk) result.failures.set(accepted.ref, error as Error);
    }
  });
  const fresh = unique.filter(({ accepted, item }) => {
    if (result.failures.has(accepted.ref)) return false;
    const fingerprint = stored.get(keyOf(item));
    if (fingerprint === undefined) return true;
    const conflict = fingerprint !== accepted.fingerprint;
    result.outcomes.set(accepted.ref, conflict ? IngestOutcome.conflict : IngestOutcome.duplicate);
    if (conflict) result.storedFingerprints.set(accepted.ref, fingerprint);
    return false;
  });
  await runPool(chunks(fresh, BATCH_WRITE_ITEMS), concurrency, async (chunk, index) => {
    try {
      await options.beforeWrite?.(index);
      await writeAll(chunk, options, result);
    } catch (error) {
      for (const { accepted } of chunk) {
        if (!result.outcomes.has(accepted.ref) && !result.refused.has(accepted.ref))
          result.failures.set(accepted.ref, error as Error);
      }
    }
  });
  for (const { accepted, item } of repeats) {
    const first = firstByKey.get(keyOf(item)) as Pending;
    const failure = result.failures.get(first.accepted.ref);
    const outcome = result.outcomes.get(first.accepted.ref);
    if (failure) result.failures.set(accepted.ref, failure);
    else if (outcome === undefined)
      result.failures.set(accepted.ref, new Error('its first copy was not recorded'));
    else {
      const fingerprint = stored.get(keyOf(item)) ?? first.accepted.fingerprint;
      const conflict = fingerprint !== accepted.fingerprint;
      result.outcomes.set(accepted.ref, conflict ? IngestOutcome.conflict : IngestOutcome.duplicate);
      if (conflict) result.storedFingerprints.set(accepted.ref, fingerprint);
    }
  }
  return result;
};

/** The stored fingerprints of those keys that exist (eventually consistent: the stream covers races). */
const readFingerprints = async (
  items: readonly Item[],
  options: RecordedEventWriterOptions,
): Promise<Item[]> => {
  const found: Item[] = [];
  let keys = items.map((item) => ({ pk: item.pk as AttributeValue, sk: item.sk as AttributeValue }));
  for (let attempt = 1; keys.length > 0; attempt++) {
    options.onRequest?.('read');
    const response = await options.client.send(
      new BatchGetItemCommand({
        RequestItems: { [options.tableName]: { Keys: keys, ProjectionExpression: 'pk, sk, fingerprint' } },
      }),
    );
    found.push(...(response.Responses?.[options.tableName] ?? []));
    keys = (response.UnprocessedKeys?.[options.tableName]?.Keys ?? []) as typeof keys;
    if (keys.length > 0) {
      if (attempt >= (options.maxAttempts ?? 6))
        throw new Error('BatchGetItem left keys unprocessed after retries');
      await backOff(attempt);
    }
  }
  return found;
};

const writeAll = async (
  chunk: readonly Pending[],
  options: RecordedEventWriterOptions,
  result: IngestResult & { outcomes: Map<string, string>; refused: Map<string, string> },
): Promise<void> => {
  let pending = [...chunk];
  for (let attempt = 1; pending.length > 0; attempt++) {
    try {
      options.onRequest?.('write');
      const response = await options.client.send(
        new BatchWriteItemCommand({
          RequestItems: { [options.tableName]: pending.map(({ item }) => ({ PutRequest: { Item: item } })) },
        }),
      );
      const left = new Set(
        (response.UnprocessedItems?.[options.tableName] ?? []).map((r) => keyOf(r.PutRequest?.Item ?? {})),
      );
      for (const p of pending)
        if (!left.has(keyOf(p.item))) result.outcomes.set(p.accepted.ref, IngestOutcome.counted);
      pending = pending.filter((p) => left.has(keyOf(p.item)));
      if (pending.length === 0) return;
      if (attempt >= (options.maxAttempts ?? 6))
        throw new Error('BatchWriteItem left items unprocessed after retries');
      await backOff(attempt);
    } catch (error) {
      // A refusal of the content fails the whole request: split until the event to blame stands alone.
      if ((error as Error)?.name !== 'ValidationException') throw error;
      if (pending.length === 1) {
        result.refused.set((pending[0] as Pending).accepted.ref, (error as Error).message);
        return;
      }
      const middle = Math.ceil(pending.length / 2);
      await writeAll(pending.slice(0, middle), options, result);
      await writeAll(pending.slice(middle), options, result);
      return;
    }
  }
};
