import { YardstickError } from '../errors.ts';

/**
 * Thrown by the comparison statistics for input no counter can produce (a negative count, more
 * successes than trials, a non-finite sum, a scale that is not positive): a caller bug, never a
 * sparse-data case. Sparse data is answered with `null`, never with this error.
 *
 * @example
 * ```ts
 * throw new ComparisonInputError('successes (11) exceed trials (10)');
 * ```
 */
export class ComparisonInputError extends YardstickError {}
