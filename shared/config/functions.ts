/**
 * The Lambda functions of the stack, by the name both sides of the deploy boundary use: the CDK
 * constructs (roles, environment) and the functions and local mode (configuration, AWS clients).
 */
export const Functions = {
  /** Counts events from the ingestion queue into the table. */
  aggregate: 'aggregate',
  /** Applies recorded events from the table's stream to the counters. */
  counters: 'counters',
  /** Serves the query API. */
  api: 'api',
  /** Builds, archives and e-mails the weekly digest. */
  digest: 'digest',
  /** Receives OTLP/HTTP exports and sends the converted events to the bus (docs/otlp.md). */
  otlp: 'otlp',
} as const;

export type FunctionName = (typeof Functions)[keyof typeof Functions];

/** Every function, in a stable order. */
export const FUNCTION_NAMES = Object.values(Functions) as readonly FunctionName[];
