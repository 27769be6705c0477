/**
 * The monthly bill of the ingestion path for a number of events, from measured units per event. Prices
 * are us-east-1 list prices as published in December 2026 (DynamoDB on-demand since its November 2024
 * cut); Lambda durations are assumptions, stated in the table.
 */
export const Prices = {
  /** DynamoDB on-demand, per million write request units. */
  dynamoWriteMillion: 0.625,
  /** DynamoDB on-demand, per million read request units. */
  dynamoReadMillion: 0.125,
  /** DynamoDB standard table class, per GB-month. */
  dynamoStorageGbMonth: 0.25,
  /** EventBridge custom events, per million (64 KB chunks). */
  eventBridgeMillion: 1.0,
  /** SQS standard, per million requests (64 KB chunks). */
  sqsMillion: 0.4,
  /** Lambda requests, per million. */
  lambdaRequestMillion: 0.2,
  /** Lambda arm64 duration, per GB-second. */
  lambdaGbSecond: 0.0000133334,
} as const;

export interface CostInputs {
  readonly eventsPerMonth: number;
  readonly writeUnitsPerEvent: number;
  readonly readUnitsPerEvent: number;
  /** Bytes stored per event for the TTL window (item plus DynamoDB's 100-byte overhead). */
  readonly storedBytesPerEvent: number;
  readonly ttlDays: number;
  /** SQS requests per event: one send, and receives and deletes in batches of 10. */
  readonly sqsRequestsPerEvent: number;
  readonly lambdas: ReadonlyArray<{
    readonly name: string;
    readonly eventsPerInvocation: number;
    readonly msPerInvocation: number;
    readonly memoryMb: number;
  }>;
}

export interface CostLine {
  readonly item: string;
  readonly dollars: number;
  readonly basis: string;
}

const MONTH_DAYS = 30;

/**
 * The month's cost by service.
 *
 * @example
 * ```ts
 * monthlyCost({ eventsPerMonth: 1e9, writeUnitsPerEvent: 1.2, ... }).map((l) => l.dollars);
 * ```
 */
export const monthlyCost = (inputs: CostInputs): CostLine[] => {
  const millions = inputs.eventsPerMonth / 1e6;
  const storedGb = ((inputs.eventsPerMonth / MONTH_DAYS) * inputs.ttlDays * inputs.storedBytesPerEvent) / 1e9;
  const lines: CostLine[] = [
    {
      item: 'DynamoDB writes',
      dollars: millions * inputs.writeUnitsPerEvent * Prices.dynamoWriteMillion,
      basis: `${inputs.writeUnitsPerEvent.toFixed(2)} WRU/event × $${Prices.dynamoWriteMillion}/M`,
    },
    {
      item: 'DynamoDB reads',
      dollars: millions * inputs.readUnitsPerEvent * Prices.dynamoReadMillion,
      basis: `${inputs.readUnitsPerEvent.toFixed(2)} RRU/event × $${Prices.dynamoReadMillion}/M`,
    },
    {
      item: 'DynamoDB storage',
      dollars: storedGb * Prices.dynamoStorageGbMonth,
      basis: `${Math.round(storedGb)} GB (${Math.round(inputs.storedBytesPerEvent)} B × ${inputs.ttlDays} days of events) × $${Prices.dynamoStorageGbMonth}/GB-month`,
    },
    { item: 'DynamoDB Streams', dollars: 0, basis: 'GetRecords by a Lambda trigger are free' },
    {
      item: 'EventBridge',
      dollars: millions * Prices.eventBridgeMillion,
      basis: `one custom event each × $${Prices.eventBridgeMillion}/M`,
    },
    {
      item: 'SQS',
      dollars: millions * inputs.sqsRequestsPerEvent * Prices.sqsMillion,
      basis: `${inputs.sqsRequestsPerEvent} requests/event × $${Prices.sqsMillion}/M`,
    },
  ];
  for (const lambda of inputs.lambdas) {
    const invocations = inputs.eventsPerMonth / lambda.eventsPerInvocation;
    const gbSeconds = invocations * (lambda.msPerInvocation / 1000) * (lambda.memoryMb / 1024);
    lines.push({
      item: `Lambda ${lambda.name}`,
      dollars: (invocations / 1e6) * Prices.lambdaRequestMillion + gbSeconds * Prices.lambdaGbSecond,
      basis: `${lambda.eventsPerInvocation} events/invocation, ${lambda.msPerInvocation} ms at ${lambda.memoryMb} MB arm64 (assumed)`,
    });
  }
  return lines;
};
