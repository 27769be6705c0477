import {
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { fullJitterDelay } from './backoff.ts';
import { isFullBatchReady, takeBatch } from './batch.ts';
import { DropReason, EventsDroppedError, PutEventsRequestError, type RecorderError } from './errors.ts';

/** The one method the recorder needs of an EventBridge client (an `EventBridgeClient` has it). */
export interface PutEventsClient {
  send(command: PutEventsCommand): Promise<PutEventsCommandOutput>;
}

/** An entry waiting in the recorder's buffer. */
interface Queued {
  readonly seq: number;
  readonly eventId: string;
  readonly entry: PutEventsRequestEntry;
  readonly size: number;
  attempts: number;
  readyAt: number;
}

/** Counters of what the recorder did since it was created. */
export interface RecorderStats {
  /** Events taken into the buffer. */
  readonly accepted: number;
  /** Events EventBridge acknowledged. */
  readonly sent: number;
  /** Events refused before buffering (invalid, PII, too large, recorder closed). */
  readonly refused: number;
  /** Events given up on after buffering (buffer full, retries exhausted, rejected by EventBridge). */
  readonly dropped: number;
  /** Entry re-sends after a failure. */
  readonly retried: number;
  /** PutEvents calls made. */
  readonly requests: number;
  /** Events buffered, waiting for a retry, or in flight right now. */
  readonly buffered: number;
}

/** What one `flush()` achieved. */
export interface FlushResult {
  /** Events acknowledged by EventBridge during this flush. */
  readonly sent: number;
  /** Events dropped during this flush. */
  readonly dropped: number;
  /** Events still buffered when the flush returned (only after its timeout, or while new ones arrive). */
  readonly pending: number;
}

export interface PublisherSettings {
  readonly client: PutEventsClient;
  readonly maxBufferedEvents: number;
  readonly flushIntervalMs: number;
  readonly flushTimeoutMs: number;
  readonly maxConcurrentRequests: number;
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly random: () => number;
  readonly report: (error: RecorderError) => void;
}

/** Per-entry codes that a retry cannot fix. */
const PERMANENT_ENTRY_ERRORS: ReadonlySet<string> = new Set([
  'InvalidArgument',
  'MalformedDetail',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
  'ValidationException',
]);

const isRetryableRequestError = (error: unknown): boolean => {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (e?.$retryable) return true;
  if (/Throttl|TooManyRequests|LimitExceeded|Timeout|Abort/i.test(e?.name ?? '')) return true;
  // No status: the request never got an HTTP answer (connection refused, reset, DNS).
  return status === undefined || status >= 500 || status === 429;
};

/** Inserts into an array kept in `seq` order. */
const insertBySeq = (items: Queued[], item: Queued): void => {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((items[mid]?.seq ?? 0) < item.seq) low = mid + 1;
    else high = mid;
  }
  items.splice(low, 0, item);
};

// Publishers holding events, flushed once when the process is about to exit on its own.
const pendingAtExit = new Set<Publisher>();
let exitHookInstalled = false;
const installExitHook = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('beforeExit', () => {
    for (const publisher of pendingAtExit) publisher.flushBeforeExit();
  });
};

/**
 * The recorder's delivery engine: a bounded buffer, PutEvents batches (≤ 10 entries, ≤ 256 KB),
 * sent when a batch is full, on an interval and on demand; failed entries alone are re-sent after a
 * full-jitter backoff. It never throws or rejects: problems go to `report`.
 */
export class Publisher {
  readonly #settings: PublisherSettings;
  /** Ready to send, oldest first. */
  readonly #ready: Queued[] = [];
  /** Waiting for a retry's backoff, oldest first. */
  readonly #delayed: Queued[] = [];
  readonly #inflight = new Set<Promise<void>>();
  #inflightEntries = 0;
  #seq = 0;
  #intervalTimer: NodeJS.Timeout | undefined;
  #retryTimer: { readonly at: number; readonly handle: NodeJS.Timeout } | undefined;
  #overflow: string[] = [];
  #exitFlushed = false;
  #stats = { accepted: 0, sent: 0, refused: 0, dropped: 0, retried: 0, requests: 0 };

  constructor(settings: PublisherSettings) {
    this.#settings = settings;
    installExitHook();
  }

  get buffered(): number {
    return this.#ready.length + this.#delayed.length + this.#inflightEntries;
  }

  stats(): RecorderStats {
    return { ...this.#stats, buffered: this.buffered };
  }

  /** Counts an event refused before it reached the buffer. */
  countRefused(): void {
    this.#stats.refused++;
  }

  /** Buffers one entry (making room by dropping the oldest when full) and sends if a batch is full. */
  enqueue(eventId: string, entry: PutEventsRequestEntry, size: number): void {
    const item: Queued = { seq: this.#seq++, eventId, entry, size, attempts: 0, readyAt: 0 };
    this.#stats.accepted++;
    while (this.buffered >= this.#settings.maxBufferedEvents) {
      const oldest = this.#removeOldest();
      if (!oldest) {
        // Everything held is in flight: the newest event is the one that cannot be kept.
        this.#dropForOverflow(item.eventId);
        return;
      }
      this.#dropForOverflow(oldest.eventId);
    }
    this.#ready.push(item);
    pendingAtExit.add(this);
    this.#pump(false);
    this.#armInterval();
  }

  /**
   * Sends everything buffered, waits for retries, and resolves when the buffer is empty or
   * `timeoutMs` has passed. Never rejects.
   */
  async flush(timeoutMs = this.#settings.flushTimeoutMs): Promise<FlushResult> {
    const before = { sent: this.#stats.sent, dropped: this.#stats.dropped };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.#promoteDue();
      this.#pump(true);
      if (this.buffered === 0) break;
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const nextRetry = this.#delayed.reduce((at, item) => Math.min(at, item.readyAt), Infinity);
      const wait = this.#inflight.size > 0 ? remaining : Math.min(remaining, nextRetry - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const sleep = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, wait));
      });
      await Promise.race([...this.#inflight, sleep]);
      clearTimeout(timer);
    }
    return {
      sent: this.#stats.sent - before.sent,
      dropped: this.#stats.dropped - before.dropped,
      pending: this.buffered,
    };
  }

  /** Flushes, then gives up on whatever is left and stops the timers. */
  async close(timeoutMs?: number): Promise<FlushResult> {
    const result = await this.flush(timeoutMs);
    this.#stopTimers();
    const left = [...this.#delayed.splice(0), ...this.#ready.splice(0)];
    if (left.length > 0) this.#drop(left, DropReason.closed);
    pendingAtExit.delete(this);
    return { ...result, dropped: result.dropped + left.length, pending: this.buffered };
  }

  /** @internal called once from the process's `beforeExit`. */
  flushBeforeExit(): void {
    if (this.#exitFlushed || this.buffered === 0) return;
    this.#exitFlushed = true;
    void this.flush();
  }

  #removeOldest(): Queued | undefined {
    const ready = this.#ready[0];
    const delayed = this.#delayed[0];
    if (ready && (!delayed || ready.seq < delayed.seq)) return this.#ready.shift();
    return delayed ? this.#delayed.shift() : undefined;
  }

  #dropForOverflow(eventId: string): void {
    this.#stats.dropped++;
    this.#overflow.push(eventId);
    // One report per burst, not one per event.
    if (this.#overflow.length === 1) {
      queueMicrotask(() => {
        const ids = this.#overflow;
        this.#overflow = [];
        this.#settings.report(new EventsDroppedError(DropReason.bufferFull, ids));
      });
    }
  }

  #drop(items: readonly Queued[], reason: EventsDroppedError['reason'], detail?: object): void {
    this.#stats.dropped += items.length;
    this.#settings.report(
      new EventsDroppedError(
        reason,
        items.map((item) => item.eventId),
        detail,
      ),
    );
  }

  #pump(partial: boolean): void {
    while (
      this.#inflight.size < this.#settings.maxConcurrentRequests &&
      this.#ready.length > 0 &&
      (partial || isFullBatchReady(this.#ready))
    ) {
      const batch = takeBatch(this.#ready);
      if (batch.length === 0) break;
      this.#send(batch);
    }
    if (this.buffered === 0) {
      this.#stopTimers();
      pendingAtExit.delete(this);
    }
  }

  #send(batch: Queued[]): void {
    this.#stats.requests++;
    this.#inflightEntries += batch.length;
    for (const item of batch) item.attempts++;
    const request = this.#settings.client
      .send(new PutEventsCommand({ Entries: batch.map((item) => item.entry) }))
      .then(
        (output) => this.#onResponse(batch, output),
        (error: unknown) => this.#onRequestError(batch, error),
      )
      .catch((error: unknown) => {
        // Only a bug in the report callback can land here; it must not become an unhandled rejection.
        void error;
      })
      .finally(() => {
        this.#inflightEntries -= batch.length;
        this.#inflight.delete(request);
        this.#pump(false);
        this.#armInterval();
      });
    this.#inflight.add(request);
  }

  #onResponse(batch: readonly Queued[], output: PutEventsCommandOutput): void {
    const results = output.Entries ?? [];
    const retry: Queued[] = [];
    const rejected = new Map<string, { message: string; items: Queued[] }>();
    batch.forEach((item, index) => {
      const result = results[index];
      if (result?.EventId && !result.ErrorCode) {
        this.#stats.sent++;
        return;
      }
      const code = result?.ErrorCode ?? 'MissingResult';
      if (PERMANENT_ENTRY_ERRORS.has(code)) {
        const group = rejected.get(code) ?? { message: result?.ErrorMessage ?? '', items: [] };
        group.items.push(item);
        rejected.set(code, group);
      } else {
        retry.push(item);
      }
    });
    for (const [errorCode, group] of rejected) {
      this.#drop(group.items, DropReason.rejected, { errorCode, errorMessage: group.message });
    }
    if (retry.length > 0) {
      const first = results[batch.indexOf(retry[0] as Queued)];
      this.#scheduleRetry(retry, {
        errorCode: first?.ErrorCode ?? 'MissingResult',
        errorMessage: first?.ErrorMessage ?? 'no result for this entry',
      });
    }
  }

  #onRequestError(batch: readonly Queued[], error: unknown): void {
    const ids = batch.map((item) => item.eventId);
    if (!isRetryableRequestError(error)) {
      const e = error as { name?: string; message?: string };
      this.#drop(batch, DropReason.rejected, {
        errorCode: e?.name ?? 'Error',
        errorMessage: e?.message ?? String(error),
        cause: error,
      });
      return;
    }
    this.#settings.report(new PutEventsRequestError(ids, Math.max(...batch.map((i) => i.attempts)), error));
    const e = error as { name?: string; message?: string };
    this.#scheduleRetry([...batch], {
      errorCode: e?.name ?? 'Error',
      errorMessage: e?.message ?? String(error),
      cause: error,
    });
  }

  #scheduleRetry(items: Queued[], failure: { errorCode: string; errorMessage: string; cause?: unknown }) {
    const { retry } = this.#settings;
    const exhausted = items.filter((item) => item.attempts >= retry.maxAttempts);
    if (exhausted.length > 0) this.#drop(exhausted, DropReason.retriesExhausted, failure);
    const again = items.filter((item) => item.attempts < retry.maxAttempts);
    if (again.length === 0) return;
    const attempt = Math.max(...again.map((item) => item.attempts));
    const readyAt = Date.now() + fullJitterDelay(attempt, retry, this.#settings.random);
    for (const item of again) {
      item.readyAt = readyAt;
      insertBySeq(this.#delayed, item);
      this.#stats.retried++;
    }
    this.#armRetry();
  }

  #promoteDue(): void {
    const now = Date.now();
    if (!this.#delayed.some((item) => item.readyAt <= now)) return;
    const due: Queued[] = [];
    const waiting: Queued[] = [];
    for (const item of this.#delayed) (item.readyAt <= now ? due : waiting).push(item);
    this.#delayed.splice(0, this.#delayed.length, ...waiting);
    for (const item of due) insertBySeq(this.#ready, item);
  }

  #armInterval(): void {
    if (this.#intervalTimer || this.#ready.length === 0) return;
    this.#intervalTimer = setTimeout(() => {
      this.#intervalTimer = undefined;
      this.#pump(true);
      this.#armInterval();
    }, this.#settings.flushIntervalMs);
    this.#intervalTimer.unref?.();
  }

  #armRetry(): void {
    if (this.#delayed.length === 0) return;
    const at = this.#delayed.reduce((min, item) => Math.min(min, item.readyAt), Infinity);
    if (this.#retryTimer && this.#retryTimer.at <= at) return;
    if (this.#retryTimer) clearTimeout(this.#retryTimer.handle);
    const handle = setTimeout(
      () => {
        this.#retryTimer = undefined;
        this.#promoteDue();
        this.#pump(true);
        this.#armRetry();
        this.#armInterval();
      },
      Math.max(0, at - Date.now()),
    );
    handle.unref?.();
    this.#retryTimer = { at, handle };
  }

  #stopTimers(): void {
    if (this.#intervalTimer) clearTimeout(this.#intervalTimer);
    this.#intervalTimer = undefined;
    if (this.#retryTimer) clearTimeout(this.#retryTimer.handle);
    this.#retryTimer = undefined;
  }
}
