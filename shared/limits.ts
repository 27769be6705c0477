/**
 * Bounds on what producers control, by construction. Every map a producer can grow (workflow ids,
 * reason codes) has a documented cap, so no producer can grow an item past DynamoDB's 400 KB or a
 * listing past what a page can show, and thereby block other events. Shared by the aggregate
 * function, the query API, the CDK construct's defaults and the docs (docs/counting.md).
 */
/**
 * Most write shards a workflow's recorded events may be spread over (catalog `writeShards`): enough
 * for 16,000 one-KB events a second at DynamoDB's 1,000 write units per partition (docs/counting.md,
 * "Hot workflows"), few enough that a counter item's applied-through numbers stay small.
 */
export const MAX_WRITE_SHARDS = 16;

export const ProducerLimits = {
  /**
   * New workflow ids (not in the catalog, never seen before) admitted per UTC day; events of further
   * new ids are quarantined `workflow_limit` until the next day. Catalogued workflows never count.
   * Configurable per deployment (`MAX_NEW_WORKFLOWS_PER_DAY`).
   */
  newWorkflowsPerDay: 100,
  /**
   * Distinct override reason codes kept by name per workflow, in order of first arrival. Later codes
   * are counted exactly under {@link OTHER_REASON_CODE}: counter items stay a few KB whatever is sent.
   */
  reasonCodesPerWorkflow: 50,
  /**
   * Named variants (besides `default`) counted per workflow, in order of first arrival. Events of a
   * further variant are quarantined `too_many_variants`: each variant has its own counter items, and
   * a comparison of more arms than this is not an experiment anyone reads.
   */
  variantsPerWorkflow: 8,
} as const;

/**
 * The reason code under which codes beyond {@link ProducerLimits.reasonCodesPerWorkflow} are counted.
 * Parentheses are outside the reasonCode charset, so no producer's own code can collide with it.
 */
export const OTHER_REASON_CODE = '(other)';

/** Page sizes of the lists the query API serves (`limit`, `nextToken`). */
export const PageLimits = {
  workflows: { default: 50, max: 200 },
} as const;

/**
 * Bounds on one OTLP/HTTP export request (docs/otlp.md). The body limit is Lambda's synchronous
 * payload limit less room for the rest of the API Gateway event; a gzip body may inflate to at most
 * `maxInflatedBytes`, so that a small compressed bomb cannot exhaust the function's memory.
 */
export const OtlpLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxInflatedBytes: 20 * 1024 * 1024,
} as const;
