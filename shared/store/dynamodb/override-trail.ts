import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { YardstickError } from '../../errors.ts';
import { hourKey } from '../../time.ts';
import { overridePosition } from '../override-record.ts';
import type { OverrideRecord } from '../port.ts';
import { Keys, overrideHourOf } from './keys.ts';

type Item = Record<string, AttributeValue>;

/** An override trail item this version cannot read (a later format, or damaged). */
export class UnreadableOverrideTrailError extends YardstickError {}

/** The `format` attribute of a chunk item: the layout of its `entries`. */
export const OVERRIDE_TRAIL_FORMAT = 1;

/**
 * Encoded entries per chunk item, at most. A chunk costs one write unit per started KB, so the bound
 * barely matters for cost; it keeps an item far below DynamoDB's 400 KB whatever a batch holds. An
 * entry is never split: one alone may exceed the bound only by what its event's fields allow (a few
 * KB, or an `occurredAt` with an absurd fraction, bounded by the 256 KB an event may weigh).
 */
export const OVERRIDE_CHUNK_BYTES = 32 * 1024;

/** A counted override, as the trail keeps it. */
export interface CountedOverride {
  readonly workflowId: string;
  readonly record: OverrideRecord;
}

// An entry is a JSON array in this order, trailing absent fields dropped: attribute names inside a
// DynamoDB map would be stored (and paid for) on every entry. `occurredAt` is kept without the hour
// its item's sort key already names (`:15:00.000Z`), or whole if it does not start with that hour.
type EncodedEntry = [string, string, string, string, ...(string | number | null)[]];

const encodeEntry = (record: OverrideRecord, hour: string): string => {
  const occurredAt = record.occurredAt.startsWith(hour)
    ? record.occurredAt.slice(hour.length)
    : record.occurredAt;
  const values: EncodedEntry = [record.eventId, occurredAt, record.decision, record.source];
  values.push(record.runId ?? null, record.reviewerId ?? null, record.reasonCode ?? null);
  values.push(record.reviewMs ?? null);
  while (values.at(-1) === null) values.pop();
  return JSON.stringify(values);
};

const isText = (value: unknown): value is string => typeof value === 'string';

const decodeEntry = (value: unknown, hour: string, where: string): OverrideRecord => {
  const fields = Array.isArray(value) ? value : [];
  const [eventId, occurredAt, decision, source, runId, reviewerId, reasonCode, reviewMs] = fields;
  if (![eventId, occurredAt, decision, source].every(isText))
    throw new UnreadableOverrideTrailError(
      `${where}: an entry is not [eventId, occurredAt, decision, source, …]`,
    );
  const optional = [runId, reviewerId, reasonCode].every((v) => v == null || isText(v));
  if (!optional || !(reviewMs == null || typeof reviewMs === 'number'))
    throw new UnreadableOverrideTrailError(`${where}: an entry of ${eventId} has a field of the wrong type`);
  return {
    eventId,
    occurredAt: (occurredAt as string).startsWith(':') ? `${hour}${occurredAt}` : (occurredAt as string),
    decision: decision as string,
    source: source as string,
    ...(runId ? { runId } : {}),
    ...(reviewerId ? { reviewerId } : {}),
    ...(reasonCode ? { reasonCode } : {}),
    ...(typeof reviewMs === 'number' ? { reviewMs } : {}),
  };
};

/**
 * The hour an override is filed under: its occurredAt's UTC hour.
 *
 * @example
 * ```ts
 * trailHourOf('2026-11-23T10:15:00.000Z'); // '2026-11-23T10'
 * ```
 */
export const trailHourOf = (occurredAt: string): string => hourKey(Date.parse(occurredAt));

interface Chunk {
  /** Its first (earliest) entry's position, the item's sort key. */
  readonly firstPosition: string;
  readonly entries: string[];
  bytes: number;
}

/**
 * The trail items of one stream batch's counted overrides: per workflow and hour, sorted by position
 * (`{occurredAt}#{eventId}`), chunks of at most `maxBytes` encoded entries, each one item keyed by its
 * first entry's position. The same batch always yields the same items, so a redelivery rewrites them
 * unchanged; a batch re-split differently may put an entry in two items, and the reader keeps one per
 * eventId. An item is only ever rewritten by a batch whose chunk of that hour starts with the same
 * override: a retry of that override's batch, which holds (or hands on to the next batch) every later
 * entry of the stream shard the item held.
 *
 * @example
 * ```ts
 * for (const item of overrideTrailItems(counted)) await client.send(new PutItemCommand({ TableName, Item: item }));
 * ```
 */
export const overrideTrailItems = (
  overrides: readonly CountedOverride[],
  maxBytes = OVERRIDE_CHUNK_BYTES,
): Item[] => {
  const groups = new Map<
    string,
    { workflowId: string; hour: string; records: Map<string, OverrideRecord> }
  >();
  for (const { workflowId, record } of overrides) {
    const hour = trailHourOf(record.occurredAt);
    const id = `${workflowId}|${hour}`;
    let group = groups.get(id);
    if (!group) {
      group = { workflowId, hour, records: new Map() };
      groups.set(id, group);
    }
    if (!group.records.has(record.eventId)) group.records.set(record.eventId, record);
  }
  return [...groups.values()].flatMap(({ workflowId, hour, records }) => {
    const sorted = [...records.values()]
      .map((record) => ({ record, position: overridePosition(record) }))
      .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    const chunks: Chunk[] = [];
    for (const { record, position } of sorted) {
      const entry = encodeEntry(record, hour);
      // +1 for the comma that joins it to the previous entry.
      const bytes = Buffer.byteLength(entry) + 1;
      let chunk = chunks.at(-1);
      if (!chunk || chunk.bytes + bytes > maxBytes) {
        chunk = { firstPosition: position, entries: [], bytes: 0 };
        chunks.push(chunk);
      }
      chunk.entries.push(entry);
      chunk.bytes += bytes;
    }
    return chunks.map((chunk) => {
      const key = Keys.overrideChunk(workflowId, chunk.firstPosition);
      return {
        pk: { S: key.pk },
        sk: { S: key.sk },
        format: { N: String(OVERRIDE_TRAIL_FORMAT) },
        entries: { S: `[${chunk.entries.join(',')}]` },
      };
    });
  });
};

/**
 * The overrides a trail item holds: a chunk's entries, or the one override of a per-event item
 * written before chunks (its fields as attributes).
 *
 * @example
 * ```ts
 * const records = page.Items.flatMap(overrideRecordsOfItem);
 * ```
 */
export const overrideRecordsOfItem = (item: Item): OverrideRecord[] => {
  const where = `override trail item ${item.pk?.S}/${item.sk?.S}`;
  if (item.format === undefined) {
    return [
      {
        eventId: item.eventId?.S ?? '',
        occurredAt: item.occurredAt?.S ?? '',
        decision: item.decision?.S ?? '',
        source: item.source?.S ?? '',
        ...(item.runId?.S ? { runId: item.runId.S } : {}),
        ...(item.reviewerId?.S ? { reviewerId: item.reviewerId.S } : {}),
        ...(item.reasonCode?.S ? { reasonCode: item.reasonCode.S } : {}),
        ...(item.reviewMs?.N ? { reviewMs: Number(item.reviewMs.N) } : {}),
      },
    ];
  }
  if (item.format.N !== String(OVERRIDE_TRAIL_FORMAT))
    throw new UnreadableOverrideTrailError(`${where}: format ${item.format.N} is not one this version reads`);
  const hour = overrideHourOf(item.sk?.S ?? '');
  let entries: unknown;
  try {
    entries = JSON.parse(item.entries?.S ?? '');
  } catch (error) {
    throw new UnreadableOverrideTrailError(`${where}: entries are not JSON`, { cause: error });
  }
  if (!Array.isArray(entries)) throw new UnreadableOverrideTrailError(`${where}: entries are not a list`);
  return entries.map((entry) => decodeEntry(entry, hour, where));
};
