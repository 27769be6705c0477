/**
 * What each pipeline counter (GET /pipeline, the terminal summary, the ops page) counts. Every counter
 * counts deliveries (SQS messages handled by the aggregate function on their arrival day), except
 * `counted`, which only a first delivery can reach, so it is also the number of distinct events.
 * A message redelivered after a failure adds to `received` again; an invalid event delivered twice adds
 * 2 to `quarantined` but is listed once at GET /quarantine, which keeps one entry per delivery id.
 */
export const PIPELINE_COUNTERS = {
  received: 'deliveries received, redeliveries included',
  counted: 'distinct events counted (a delivery that counted its event; never the same event twice)',
  duplicates: 'deliveries dropped because their event was already counted with the same content',
  conflicts: 'deliveries of an eventId already counted with different content (not counted)',
  quarantined:
    'deliveries quarantined as invalid; a redelivered invalid event adds again but is listed once at GET /quarantine',
} as const;

export type PipelineCounterName = keyof typeof PIPELINE_COUNTERS;
