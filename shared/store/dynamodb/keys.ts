import { type GranularityName, hourKey } from '../../time.ts';

/**
 * Which of a workflow's `writeShards` an event is recorded in: FNV-1a of its eventId, so every copy of
 * an event lands on the same key and a re-send is found as a duplicate.
 */
export const writeShardOf = (eventId: string, writeShards: number): number => {
  if (writeShards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) {
    hash ^= eventId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % writeShards;
};

/**
 * How many partitions one ISO week of the fleet rollup is spread over. Every stream batch updates one
 * rollup item per workflow (and write shard) it holds, so at fleet scale the updates of a week go to
 * the same few partitions: 4 keeps each of them a quarter of the fleet's update rate (docs/counting.md,
 * "Fleet rollup"), and a fleet read is 4 Queries a week. Fixed: changing it moves workflows between
 * partitions, so rollups written before would no longer be found.
 */
export const FLEET_SHARDS = 4;

/** Which fleet partition a workflow's rollup items live in: FNV-1a of its id, mod {@link FLEET_SHARDS}. */
export const fleetShardOf = (workflowId: string): number => writeShardOf(workflowId, FLEET_SHARDS);

// Sort-key suffixes of a workflow's rollup items. `#` sorts before every character a workflowId may
// hold, so a workflow's items are contiguous and never interleave with another id's.
const FLEET_USERS = '#U';
const FLEET_VARIANT = '#V#';

/** What a fleet rollup item holds, from its sort key. */
export type FleetItemKind =
  | { readonly kind: 'totals'; readonly workflowId: string }
  | { readonly kind: 'users'; readonly workflowId: string }
  | { readonly kind: 'variant'; readonly workflowId: string; readonly variant: string };

/** Reads a fleet rollup sort key back (see {@link Keys.fleetWeek}). */
export const fleetItemKind = (sk: string): FleetItemKind => {
  const hash = sk.indexOf('#');
  if (hash < 0) return { kind: 'totals', workflowId: sk };
  const workflowId = sk.slice(0, hash);
  const rest = sk.slice(hash);
  if (rest === FLEET_USERS) return { kind: 'users', workflowId };
  return { kind: 'variant', workflowId, variant: rest.slice(FLEET_VARIANT.length) };
};

const HOUR_KEY_LENGTH = hourKey(0).length;

/**
 * The hour (`2026-11-23T10`) an override trail sort key or an ISO instant starts with: both layouts'
 * keys begin with it, so keys that sort later never belong to an earlier hour.
 *
 * @example
 * ```ts
 * overrideHourOf('2026-11-23T10#ovr-7'); // '2026-11-23T10'
 * overrideHourOf('2026-11-23T10:15:00.000Z#ovr-7'); // '2026-11-23T10'
 * ```
 */
export const overrideHourOf = (skOrInstant: string): string => skOrInstant.slice(0, HOUR_KEY_LENGTH);

/** The prefix of the partitions recorded events live in; the stream consumer counts only these. */
export const RECORDED_PREFIX = 'RAW#';

/** Key builders for the single-table layout documented in table.ts. */
export const Keys = {
  counters: (workflowId: string) => `WF#${workflowId}`,
  bucket: (granularity: GranularityName, key: string) => `${granularity === 'hour' ? 'H' : 'D'}#${key}`,
  /**
   * A variant's counter bucket, under the workflow's counters partition beside its totals. Only
   * variants other than `default` have items: the default variant is the totals minus the others.
   */
  variantBucket: (variant: string, granularity: GranularityName, key: string) =>
    `V#${variant}#${granularity === 'hour' ? 'H' : 'D'}#${key}`,
  /**
   * The distinct-users sketch of a day, in its own item: a day's audience can fill the sketch (768
   * bytes), and each of the day's many counter writes would pay for it. An hour's few users ride in
   * its counter item instead (`usersVersion`, counter-codec.ts); `UH#{hour}` items are no longer written.
   */
  sketch: (_granularity: 'day', key: string) => `UD#${key}`,
  /**
   * An hour's sketch item as tables written before hour sketches rode in their counter items hold it:
   * read beside the counter items, never written, so hours counted before keep their users.
   */
  legacyHourSketch: (key: string) => `UH#${key}`,
  /**
   * A recorded event, written once (conditionally) by the aggregate function: its key is the dedupe
   * key, and its stream record is what the counters are built from. The partition is one of the
   * workflow's write shards, so the stream delivers each shard's events in order.
   */
  recorded: (workflowId: string, eventId: string, writeShards = 1) => ({
    pk: `${RECORDED_PREFIX}${workflowId}#${writeShardOf(eventId, writeShards)}`,
    sk: eventId,
  }),
  /**
   * The attribute of a counter item holding the last stream sequence number applied to it from one
   * write shard (`RAW#{workflowId}#{shard}`): what makes applying a stream batch idempotent.
   */
  appliedThrough: (recordedPk: string) => `seq_${recordedPk.slice(recordedPk.lastIndexOf('#') + 1)}`,
  /**
   * The fleet rollup of an ISO week: one partition per fleet shard (`FLEET#2026-W47#3`), holding per
   * workflow its week totals (sk `{workflowId}`), its week's distinct-users sketch (`{workflowId}#U`)
   * and each named variant's week (`{workflowId}#V#{variant}`), so the digest reads the whole fleet's
   * week in {@link FLEET_SHARDS} paged Queries.
   */
  fleetWeek: (week: string, shard: number) => `FLEET#${week}#${shard}`,
  fleetTotals: (workflowId: string) => workflowId,
  fleetUsers: (workflowId: string) => `${workflowId}${FLEET_USERS}`,
  fleetVariant: (workflowId: string, variant: string) => `${workflowId}${FLEET_VARIANT}${variant}`,
  registry: (workflowId: string) => ({ pk: 'WORKFLOWS', sk: workflowId }),
  /** How many new workflow ids the day admitted, against the daily cap. */
  newWorkflows: (day: string) => ({ pk: 'WORKFLOWS_NEW', sk: `D#${day}` }),
  /**
   * The override audit trail's partition. Its items are chunks of a stream batch's counted overrides
   * of one hour, in time order (override-trail.ts), each keyed by its first override's position
   * `{occurredAt}#{eventId}`: the key one item per override had in tables deployed before chunks,
   * whose items are still read. So every item sorts by the earliest override it holds, whichever
   * layout it has, and a listing reads little more than the overrides it returns.
   */
  overrides: (workflowId: string) => `OVR#${workflowId}`,
  overrideChunk: (workflowId: string, firstPosition: string) => ({
    pk: `OVR#${workflowId}`,
    sk: firstPosition,
  }),
  /** Listed by arrival position (`{receivedAt}#{id}`), so a day reads newest first backwards. */
  quarantine: (day: string, position: string) => ({ pk: `QUAR#${day}`, sk: `T#${position}` }),
  /** Written with the listing item only if absent: an event is quarantined once per day. */
  quarantineMarker: (day: string, id: string) => ({ pk: `QUAR#${day}`, sk: `ID#${id}` }),
  conflict: (workflowId: string, eventId: string, fingerprint: string) => ({
    pk: `CONFLICT#${workflowId}`,
    sk: `${eventId}#${fingerprint}`,
  }),
  pipeline: (day: string) => ({ pk: 'PIPELINE', sk: `D#${day}` }),
} as const;
