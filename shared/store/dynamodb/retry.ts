/** Cancellation reasons that mean "try again": another writer or the table's throughput, not the data. */
export const CONTENTION_REASONS: ReadonlySet<string> = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Full-jitter backoff before retry `attempt`, so contending writers do not collide again. */
export const backOff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));
