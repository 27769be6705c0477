/** The namespace every contract detail type lives in (`ai.workflow.usage`, …). */
export const DETAIL_TYPE_NAMESPACE = 'ai.workflow.';

/**
 * EventBridge event patterns shared by the CDK rules and the local router, so that what is routed in
 * local mode is exactly what is routed on AWS.
 *
 * The detail type is matched by its namespace, ignoring case, not by the exact contract types: a
 * near-miss such as `ai.workflow.Usage` or an unknown `ai.workflow.cost` then reaches the queue, where
 * the aggregate function quarantines it (`unknown_detail_type`) instead of EventBridge dropping it
 * silently after answering with an EventId. The exact types are a subset, so every contract event is
 * routed exactly once by one rule.
 *
 * @example
 * ```ts
 * new events.Rule(this, 'Ingest', { eventBus, eventPattern: toCdkEventPattern(INGEST_PATTERN) });
 * ```
 */
export const INGEST_PATTERN = {
  'detail-type': [{ prefix: { 'equals-ignore-case': DETAIL_TYPE_NAMESPACE } }],
  // Producers never use the aws.* namespace; this keeps AWS service events off the ingestion queue.
  source: [{ 'anything-but': { prefix: 'aws.' } }],
} as const;

/** The rules the stack creates, by id: each routes matching events to the aggregation queue. */
export const INGESTION_RULES = {
  ingest: INGEST_PATTERN,
} as const;
