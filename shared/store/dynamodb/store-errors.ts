import { YardstickError } from '../../errors.ts';

/** A counter update could not be applied: the stream batch is retried. */
export class CounterApplyError extends YardstickError {}

/** Thrown when a transaction keeps being cancelled by contention: the events are redelivered later. */
export class TransactionRetriesExhaustedError extends YardstickError {
  constructor(reasons: string) {
    super(`transaction still cancelled after retries: ${reasons}`);
  }
}

/** A fleet read could not be completed (keys left unprocessed by throttling after retries). */
export class FleetReadError extends YardstickError {}
