import type { GranularityName } from '../../time.ts';

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
  /** The distinct-users sketch of a bucket; its own item so counter writes never carry it. */
  sketch: (granularity: GranularityName, key: string) => `${granularity === 'hour' ? 'UH' : 'UD'}#${key}`,
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
  registry: (workflowId: string) => ({ pk: 'WORKFLOWS', sk: workflowId }),
  /** How many new workflow ids the day admitted, against the daily cap. */
  newWorkflows: (day: string) => ({ pk: 'WORKFLOWS_NEW', sk: `D#${day}` }),
  override: (workflowId: string, occurredAt: string, eventId: string) => ({
    pk: `OVR#${workflowId}`,
    sk: `${occurredAt}#${eventId}`,
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
