import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { v7 as uuidv7 } from 'uuid';
import { DetailType, type DetailTypeName } from '../detail-types.ts';
import { activeTraceparent } from '../otel/traceparent.ts';
import {
  looksLikePii,
  type OutcomeDetail,
  type OverrideDetail,
  type UsageDetail,
  VariantSchema,
  WorkflowIdSchema,
} from '../schemas.ts';
import { defaultTimeWindow, validateEvent } from '../validate.ts';
import { RetryDefaults } from './backoff.ts';
import { entrySize, PutEventsLimits } from './entry-size.ts';
import {
  EventTooLargeError,
  EventValidationError,
  PiiRefusedError,
  RecorderConfigError,
  RecorderError,
} from './errors.ts';
import { RecorderDefaults, type RecorderOptions } from './options.ts';
import { createPseudonymizer, type Pseudonymizer } from './pseudonymize.ts';
import { type FlushResult, Publisher, type RecorderStats } from './publisher.ts';
import { type RunOptions, type RunScope, runWorkflow } from './run.ts';

type ContractCommon =
  | 'schemaVersion'
  | 'eventId'
  | 'workflowId'
  | 'runId'
  | 'occurredAt'
  | 'userId'
  | 'variant'
  | 'traceparent';

/** Fields every recording call accepts; the recorder fills in the rest. */
export interface CommonInput {
  /** Idempotency key; generated (UUIDv7) when absent. Pass the same one when re-sending an event. */
  readonly eventId?: string;
  /** Event time. @default now */
  readonly occurredAt?: Date | string | number;
  readonly runId?: string;
  /** Pseudonymised before sending when a salt is configured. */
  readonly userId?: string;
  /** W3C trace context. @default the active OpenTelemetry span's */
  readonly traceparent?: string;
  /** Overrides the recorder's workflowId for this event (used by the OpenTelemetry bridge). */
  readonly workflowId?: string;
  /** The variant this event belongs to. @default the run's, else the recorder's, else none (`default`) */
  readonly variant?: string;
}

export type UsageInput = CommonInput & Omit<UsageDetail, ContractCommon>;
export type OutcomeInput = CommonInput & Omit<OutcomeDetail, ContractCommon>;
export type OverrideInput = CommonInput & Omit<OverrideDetail, ContractCommon>;

/** Publishes a workflow's usage, outcome and override events to EventBridge. */
export interface Recorder {
  readonly workflowId: string;
  /** True when `userId` and `reviewerId` are pseudonymised with a salt before sending. */
  readonly pseudonymizes: boolean;
  /**
   * Records a model call. Returns the eventId, or undefined when the event was refused (the reason
   * went to `onError`). Never blocks: the event is sent in the background.
   */
  usage(input: UsageInput): string | undefined;
  /** Records how a run ended: `succeeded`, `failed` or `abandoned`, with the value it realised. */
  outcome(input: OutcomeInput): string | undefined;
  /** Records a human review of an AI output: `accepted`, `edited`, `rejected` or `escalated`. */
  override(input: OverrideInput): string | undefined;
  /**
   * Runs `fn` as one workflow run: its events share a runId, the outcome's `durationMs` defaults to
   * the run's duration, and a throw records a `failed` outcome (then rethrows).
   */
  run<T>(fn: (run: RunScope) => T | Promise<T>, options?: RunOptions): Promise<T>;
  /** Sends everything buffered and waits for it (call before a Lambda handler returns). Never rejects. */
  flush(options?: { readonly timeoutMs?: number }): Promise<FlushResult>;
  /** Flushes, stops the timers and refuses further events. Never rejects. */
  close(options?: { readonly timeoutMs?: number }): Promise<FlushResult>;
  stats(): RecorderStats;
}

const defaultOnError = (error: RecorderError) => {
  console.warn(`[yardstick recorder] ${error.name}: ${error.message}`);
};

const toIso = (value: Date | string | number | undefined, now: () => number): string => {
  if (typeof value === 'string') return value;
  const date = value === undefined ? new Date(now()) : new Date(value);
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
};

const positiveInt = (name: string, value: number | undefined, fallback: number): number => {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RecorderConfigError(`${name} must be a positive integer`);
  return v;
};

const PII_FIELDS = ['userId', 'reviewerId'] as const;

/**
 * Creates a recorder for one workflow. Recording never throws into the workflow (unless `strict`),
 * never waits for the network, and holds a bounded number of events; call `flush()` before a Lambda
 * handler returns.
 *
 * @throws {RecorderConfigError} when the options themselves are wrong (bad workflowId or variant, short salt).
 * @example
 * ```ts
 * const recorder = createRecorder({ workflowId: 'invoice-triage', source: 'acme.invoice-bot' });
 * await recorder.run(async (run) => {
 *   run.usage({ model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, latencyMs: 850 });
 *   run.outcome({ status: 'succeeded', valueUsd: 4 });
 * });
 * await recorder.flush();
 * ```
 */
export const createRecorder = (options: RecorderOptions): Recorder => {
  const workflowCheck = WorkflowIdSchema.safeParse(options.workflowId);
  if (!workflowCheck.success) {
    throw new RecorderConfigError(`workflowId: ${workflowCheck.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (options.variant !== undefined) {
    const variantCheck = VariantSchema.safeParse(options.variant);
    if (!variantCheck.success)
      throw new RecorderConfigError(`variant: ${variantCheck.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (typeof options.source !== 'string' || options.source.length < 1 || options.source.length > 256) {
    throw new RecorderConfigError('source must be a string of 1 to 256 characters, e.g. acme.invoice-bot');
  }
  const now = options.now ?? Date.now;
  const validate = options.validate ?? true;
  const strict = options.strict ?? false;
  const traceContext = options.traceContext ?? true;
  const eventBusName = options.eventBusName ?? RecorderDefaults.eventBusName;
  const pseudonymize: Pseudonymizer | undefined = options.pseudonymize
    ? createPseudonymizer(options.pseudonymize.salt)
    : undefined;
  const onError = options.onError ?? defaultOnError;
  const report = (error: RecorderError) => {
    try {
      onError(error);
    } catch {
      // The callback's own failure must not reach the workflow.
    }
  };
  const retry = {
    maxAttempts: positiveInt('retry.maxAttempts', options.retry?.maxAttempts, RetryDefaults.maxAttempts),
    baseDelayMs: options.retry?.baseDelayMs ?? RetryDefaults.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? RetryDefaults.maxDelayMs,
  };
  const publisher = new Publisher({
    client:
      options.client ??
      new EventBridgeClient({
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
      }),
    maxBufferedEvents: positiveInt(
      'maxBufferedEvents',
      options.maxBufferedEvents,
      RecorderDefaults.maxBufferedEvents,
    ),
    flushIntervalMs: options.flushIntervalMs ?? RecorderDefaults.flushIntervalMs,
    flushTimeoutMs: options.flushTimeoutMs ?? RecorderDefaults.flushTimeoutMs,
    maxConcurrentRequests: positiveInt(
      'maxConcurrentRequests',
      options.maxConcurrentRequests,
      RecorderDefaults.maxConcurrentRequests,
    ),
    retry,
    random: options.random ?? Math.random,
    report,
  });
  let closed = false;

  const build = (detailType: DetailTypeName, input: CommonInput & Record<string, unknown>) => {
    const {
      eventId: givenId,
      occurredAt,
      runId,
      userId,
      traceparent,
      workflowId,
      variant,
      ...fields
    } = input;
    const eventId = givenId ?? uuidv7();
    if (closed) throw new RecorderError(`the recorder is closed; event ${eventId} was not sent`, [eventId]);
    const detail: Record<string, unknown> = {
      schemaVersion: 1,
      eventId,
      workflowId: workflowId ?? options.workflowId,
      ...(runId !== undefined ? { runId } : {}),
      occurredAt: toIso(occurredAt, now),
      ...(userId !== undefined ? { userId } : {}),
      ...fields,
    };
    // The event's own variant (or its run's) first; the recorder's is the fallback.
    const chosenVariant = variant ?? options.variant;
    if (chosenVariant !== undefined) detail.variant = chosenVariant;
    const trace = traceparent ?? (traceContext ? activeTraceparent() : undefined);
    if (trace !== undefined) detail.traceparent = trace;
    for (const field of PII_FIELDS) {
      const value = detail[field];
      if (typeof value !== 'string') continue;
      if (pseudonymize) detail[field] = pseudonymize(value);
      else if (looksLikePii(value)) throw new PiiRefusedError(field, eventId);
    }
    let body: unknown = detail;
    if (validate) {
      const result = validateEvent({ detailType, source: options.source, detail }, defaultTimeWindow(now()));
      if (!result.ok) {
        throw new EventValidationError(`${detailType} event refused: ${result.rejection.message}`, {
          eventId,
          field: result.rejection.field,
          code: result.rejection.code,
        });
      }
      body = result.event.detail;
    }
    const entry: PutEventsRequestEntry = {
      Source: options.source,
      DetailType: detailType,
      Detail: JSON.stringify(body),
      EventBusName: eventBusName,
    };
    const size = entrySize(entry);
    if (size > PutEventsLimits.maxBytes)
      throw new EventTooLargeError(eventId, size, PutEventsLimits.maxBytes);
    return { eventId, entry, size };
  };

  const record = (detailType: DetailTypeName, input: CommonInput & object): string | undefined => {
    try {
      const { eventId, entry, size } = build(detailType, input as CommonInput & Record<string, unknown>);
      publisher.enqueue(eventId, entry, size);
      return eventId;
    } catch (error) {
      publisher.countRefused();
      const reported =
        error instanceof RecorderError
          ? error
          : new RecorderError(`event not recorded: ${(error as Error)?.message ?? String(error)}`, [], {
              cause: error,
            });
      if (strict) throw reported;
      report(reported);
      return undefined;
    }
  };

  const recorder: Recorder = {
    workflowId: options.workflowId,
    pseudonymizes: pseudonymize !== undefined,
    usage: (input) => record(DetailType.usage, input),
    outcome: (input) => record(DetailType.outcome, input),
    override: (input) => record(DetailType.override, input),
    run: (fn, runOptions) => runWorkflow(recorder, fn, runOptions ?? {}, now),
    flush: (flushOptions) => publisher.flush(flushOptions?.timeoutMs),
    close: (closeOptions) => {
      closed = true;
      return publisher.close(closeOptions?.timeoutMs);
    },
    stats: () => publisher.stats(),
  };
  return recorder;
};
