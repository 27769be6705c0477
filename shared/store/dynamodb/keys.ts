import type { GranularityName } from '../../time.ts';

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
  marker: (workflowId: string, eventId: string) => ({ pk: `EVT#${workflowId}#${eventId}`, sk: '-' }),
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
