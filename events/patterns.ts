import { DETAIL_TYPES } from './detail-types.ts';

/**
 * EventBridge event patterns shared by the CDK rules and the local router, so that what is routed in
 * local mode is exactly what is routed on AWS.
 *
 * @example
 * ```ts
 * new events.Rule(this, 'Ingest', { eventBus, eventPattern: toCdkEventPattern(INGEST_PATTERN) });
 * ```
 */
export const INGEST_PATTERN = {
  'detail-type': [...DETAIL_TYPES],
  // Producers never use the aws.* namespace; this keeps AWS service events off the ingestion queue.
  source: [{ 'anything-but': { prefix: 'aws.' } }],
} as const;

/** The rules the stack creates, by id: each routes matching events to the aggregation queue. */
export const INGESTION_RULES = {
  ingest: INGEST_PATTERN,
} as const;
