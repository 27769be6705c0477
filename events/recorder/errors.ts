/**
 * Errors the recorder reports. By default none of them is thrown into the workflow: they go to the
 * `onError` callback. With `strict: true`, the ones about a single event (invalid, PII, too large)
 * are thrown by `usage()`, `outcome()` and `override()` instead.
 */

/** Base class of every error the recorder reports. */
export class RecorderError extends Error {
  /** Event ids the error is about, when it is about events. */
  readonly eventIds: readonly string[];
  constructor(message: string, eventIds: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecorderError';
    this.eventIds = eventIds;
  }
}

/** The recorder's options are wrong; thrown by `createRecorder`, since no event could be sent. */
export class RecorderConfigError extends RecorderError {
  constructor(message: string) {
    super(message);
    this.name = 'RecorderConfigError';
  }
}

/** An event breaks the contract; `field` names the offending field. */
export class EventValidationError extends RecorderError {
  readonly field: string | undefined;
  readonly code: string;
  constructor(message: string, details: { eventId: string; field?: string; code: string }) {
    super(message, [details.eventId]);
    this.name = 'EventValidationError';
    this.field = details.field;
    this.code = details.code;
  }
}

/**
 * A `userId` or `reviewerId` looks like an e-mail address or phone number and no salt is configured
 * to pseudonymise it. The message names the field, never the value.
 */
export class PiiRefusedError extends RecorderError {
  readonly field: string;
  constructor(field: string, eventId: string) {
    super(
      `${field} looks like an e-mail address or phone number; the event was not sent. Configure pseudonymize: { salt } or send a pseudonymous id.`,
      [eventId],
    );
    this.name = 'PiiRefusedError';
    this.field = field;
  }
}

/** An entry is larger than the 256 KB PutEvents allows, counted as EventBridge counts it. */
export class EventTooLargeError extends RecorderError {
  readonly sizeBytes: number;
  readonly limitBytes: number;
  constructor(eventId: string, sizeBytes: number, limitBytes: number) {
    super(
      `event ${eventId} is ${sizeBytes} bytes as EventBridge counts it (Source + DetailType + Detail + Resources), over the PutEvents limit of ${limitBytes} bytes per entry; it was not sent`,
      [eventId],
    );
    this.name = 'EventTooLargeError';
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** Why events were given up on. */
export const DropReason = {
  /** The buffer was full (the endpoint is down or too slow): the oldest events made room. */
  bufferFull: 'buffer_full',
  /** Every attempt failed with a retryable error. */
  retriesExhausted: 'retries_exhausted',
  /** EventBridge refused the entry with an error that retrying cannot fix. */
  rejected: 'rejected',
  /** The recorder was closed before they could be sent. */
  closed: 'closed',
} as const;
export type DropReasonName = (typeof DropReason)[keyof typeof DropReason];

/** Events that were accepted by the recorder but will never be delivered. */
export class EventsDroppedError extends RecorderError {
  readonly reason: DropReasonName;
  readonly count: number;
  /** EventBridge's per-entry error code, when the reason is `rejected` or `retries_exhausted`. */
  readonly errorCode: string | undefined;
  constructor(
    reason: DropReasonName,
    eventIds: readonly string[],
    detail?: { errorCode?: string; errorMessage?: string; cause?: unknown },
  ) {
    const why = detail?.errorCode ? ` (${detail.errorCode}: ${detail.errorMessage ?? ''})` : '';
    super(
      `${eventIds.length} event(s) dropped: ${reason}${why}`,
      eventIds,
      detail?.cause ? { cause: detail.cause } : undefined,
    );
    this.name = 'EventsDroppedError';
    this.reason = reason;
    this.count = eventIds.length;
    this.errorCode = detail?.errorCode;
  }
}

/** A PutEvents call failed as a whole (network, throttling, 5xx); its entries will be retried. */
export class PutEventsRequestError extends RecorderError {
  readonly attempt: number;
  constructor(eventIds: readonly string[], attempt: number, cause: unknown) {
    super(
      `PutEvents failed for ${eventIds.length} event(s) on attempt ${attempt}: ${(cause as Error)?.message ?? String(cause)}`,
      eventIds,
      { cause },
    );
    this.name = 'PutEventsRequestError';
    this.attempt = attempt;
  }
}

/**
 * `assignVariant` cannot assign the run: an empty runId, no weights, a weight that is not a positive
 * finite number, or a name the contract would refuse as a `variant`. Thrown, not reported:
 * it is a mistake in the code, and no run could be assigned until it is fixed.
 */
export class VariantAssignmentError extends RecorderError {
  /** The offending variant name, when the error is about one. */
  readonly variant: string | undefined;
  constructor(message: string, variant?: string) {
    super(message);
    this.name = 'VariantAssignmentError';
    this.variant = variant;
  }
}
