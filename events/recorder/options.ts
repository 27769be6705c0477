import type { RetryOptions } from './backoff.ts';
import type { RecorderError } from './errors.ts';
import type { PutEventsClient } from './publisher.ts';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** The workflow every event belongs to (`^[a-z0-9][a-z0-9._-]*$`, ≤ 64). */
  readonly workflowId: string;
  /** EventBridge `Source`: the producing application, e.g. `acme.invoice-bot`. */
  readonly source: string;
  /**
   * The variant every event of this recorder belongs to (`^[a-z0-9][a-z0-9._-]*$`, ≤ 64), e.g. a
   * deployment that only runs `prompt-v2`. A run's `variant` or an event's own overrides it.
   * @default none: events carry no variant and count as `default`
   */
  readonly variant?: string;
  /** The bus name or ARN. @default 'yardstick' */
  readonly eventBusName?: string;
  /**
   * The EventBridge client. Inject one to set the region, credentials or endpoint (local mode,
   * tests). @default an `EventBridgeClient` with the default credential chain, one attempt per call
   * (the recorder retries), 2 s connection and 5 s request timeouts.
   */
  readonly client?: PutEventsClient;
  /**
   * Pseudonymise `userId` and `reviewerId` with HMAC-SHA256 under a secret salt (≥ 16 bytes).
   * Without it, ids are sent as given, and an id that looks like an e-mail address or phone number
   * refuses its event.
   */
  readonly pseudonymize?: { readonly salt: string | Uint8Array };
  /** Check every event against the contract before buffering it. @default true */
  readonly validate?: boolean;
  /**
   * Throw `EventValidationError`, `PiiRefusedError` or `EventTooLargeError` from `usage()`,
   * `outcome()` and `override()` instead of reporting them. Meant for development and tests.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Receives every problem: refused events, dropped events, failed PutEvents calls. It must not throw
   * (if it does, the error is swallowed). @default logs a warning with `console.warn`
   */
  readonly onError?: (error: RecorderError) => void;
  /** Events held at most (buffered, awaiting retry, in flight); when full the oldest are dropped. @default 10_000 */
  readonly maxBufferedEvents?: number;
  /** A partial batch waits at most this long before it is sent. @default 1_000 */
  readonly flushIntervalMs?: number;
  /** How long `flush()` waits for delivery by default. @default 10_000 */
  readonly flushTimeoutMs?: number;
  /** PutEvents calls in flight at once. @default 4 */
  readonly maxConcurrentRequests?: number;
  readonly retry?: RetryOptions;
  /** Carry the active OpenTelemetry span's context as `traceparent`. @default true */
  readonly traceContext?: boolean;
  /** Source of jitter, for deterministic tests. @default Math.random */
  readonly random?: () => number;
  /** Clock for `occurredAt` and run timing, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

export const RecorderDefaults = {
  eventBusName: 'yardstick',
  maxBufferedEvents: 10_000,
  flushIntervalMs: 1_000,
  flushTimeoutMs: 10_000,
  maxConcurrentRequests: 4,
} as const;
