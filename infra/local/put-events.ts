import { randomUUID } from 'node:crypto';
import { YardstickError } from '../../shared/errors.ts';
import { jsonDepth } from './json-depth.ts';

/** AWS's PutEvents limits, enforced the same way locally. */
export const PutEventsLimits = {
  maxEntries: 10,
  maxRequestBytes: 256 * 1024,
  maxDetailTypeLength: 128,
  maxSourceLength: 256,
  /**
   * Nesting of objects and arrays in Detail. EventBridge documents no figure; local mode refuses
   * deeper Details with MalformedDetail so that no stage after the answer (routing, serialising,
   * the queue) can fail on one. Contract events are two levels deep.
   */
  maxDetailDepth: 1000,
} as const;

export interface PutEventsRequestEntry {
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly EventBusName?: unknown;
  readonly Time?: unknown;
  readonly Resources?: unknown;
  readonly TraceHeader?: unknown;
}

export type PutEventsResultEntry =
  | { readonly EventId: string }
  | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** An event as EventBridge delivers it to targets. */
export interface EventBridgeEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

/** The request-level error types local mode answers with HTTP 400, by AWS's names. */
export const PutEventsErrorType = {
  validation: 'ValidationException',
  serialization: 'SerializationException',
} as const;

export type PutEventsErrorTypeName = (typeof PutEventsErrorType)[keyof typeof PutEventsErrorType];

/** A request-level error, answered with HTTP 400 and AWS's JSON error shape. */
export class PutEventsValidationError extends YardstickError {
  readonly type: PutEventsErrorTypeName;
  constructor(message: string, type: PutEventsErrorTypeName = PutEventsErrorType.validation) {
    super(message);
    this.type = type;
  }
}

const utf8 = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);

/** Entry size by EventBridge's documented rule: Time counts 14 bytes, then the UTF-8 lengths of the strings. */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time !== undefined ? 14 : 0) +
  utf8(entry.Source) +
  utf8(entry.DetailType) +
  utf8(entry.Detail) +
  (Array.isArray(entry.Resources) ? entry.Resources.reduce((sum: number, r) => sum + utf8(r), 0) : 0);

const isEntryComplete = (entry: PutEventsRequestEntry): boolean =>
  typeof entry.Source === 'string' &&
  typeof entry.DetailType === 'string' &&
  typeof entry.Detail === 'string';

/** Null members are a validation error in AWS JSON protocols; other non-objects cannot be deserialised. */
const checkEntryShapes = (entries: readonly unknown[]): PutEventsRequestEntry[] => {
  entries.forEach((entry, index) => {
    const at = `entries.${index + 1}.member`;
    if (entry === null) {
      throw new PutEventsValidationError(
        `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (typeof entry !== 'object' || Array.isArray(entry)) {
      throw new PutEventsValidationError(
        `Unexpected value type at '${at}': expected a PutEventsRequestEntry object`,
        PutEventsErrorType.serialization,
      );
    }
  });
  return entries as PutEventsRequestEntry[];
};

export interface AcceptedPutEvent {
  readonly bus: string;
  readonly envelope: EventBridgeEnvelope;
  /** The envelope serialised once, as targets receive it; built before any answer is given. */
  readonly json: string;
}

export interface PutEventsContext {
  readonly knownBuses: ReadonlySet<string>;
  readonly region: string;
  readonly nowMs: number;
}

/**
 * Validates a PutEvents request as EventBridge does and turns each good entry into the event its
 * targets receive, serialised. Request-level problems throw {@link PutEventsValidationError};
 * entry-level ones become that entry's ErrorCode and ErrorMessage, and the other entries go through.
 * Nothing is delivered here: the caller delivers `accepted` only once every entry has its result.
 *
 * @example
 * ```ts
 * const { results, accepted } = acceptPutEvents(body.Entries, { knownBuses: new Set(['default', 'yardstick']), region, nowMs: Date.now() });
 * ```
 */
export const acceptPutEvents = (
  entries: unknown,
  context: PutEventsContext,
): { results: PutEventsResultEntry[]; accepted: AcceptedPutEvent[] } => {
  if (!Array.isArray(entries))
    throw new PutEventsValidationError('1 validation error detected: entries is required');
  if (entries.length < 1 || entries.length > PutEventsLimits.maxEntries) {
    throw new PutEventsValidationError(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${
        entries.length < 1
          ? 'greater than or equal to 1'
          : `less than or equal to ${PutEventsLimits.maxEntries}`
      }`,
    );
  }
  const typed = checkEntryShapes(entries);
  if (typed.reduce((sum, entry) => sum + entrySize(entry), 0) > PutEventsLimits.maxRequestBytes) {
    throw new PutEventsValidationError('Total size of the entries in the request is over the limit.');
  }
  if (!typed.some(isEntryComplete)) {
    throw new PutEventsValidationError(
      'Parameters Source, DetailType and Detail are required in at least one entry.',
    );
  }
  const results: PutEventsResultEntry[] = [];
  const accepted: AcceptedPutEvent[] = [];
  for (const entry of typed) {
    const outcome = acceptEntry(entry, context);
    if ('ErrorCode' in outcome) {
      results.push(outcome);
    } else {
      results.push({ EventId: outcome.envelope.id });
      accepted.push(outcome);
    }
  }
  return { results, accepted };
};

/** The account local mode pretends to be; a documentation placeholder, not a real account. */
export const LOCAL_ACCOUNT_ID = '000000000000';

type EntryFailure = { readonly ErrorCode: string; readonly ErrorMessage: string };

const failure = (ErrorCode: string, ErrorMessage: string): EntryFailure => ({ ErrorCode, ErrorMessage });

const busName = (value: unknown): string => {
  if (typeof value !== 'string' || value === '') return 'default';
  // An ARN names the bus after its last slash.
  return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
};

/** JavaScript dates, and so ISO timestamps, end at ±8.64e15 ms; AWS SDKs send Time as epoch seconds. */
const MAX_TIME_MS = 8.64e15;

const eventTime = (value: unknown, nowMs: number): string | EntryFailure => {
  if (value === undefined || value === null) return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ms =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) {
    return failure(
      'InvalidArgument',
      'Parameter Time is not valid. Reason: must be a timestamp (epoch seconds or ISO 8601) between the years -271821 and 275760.',
    );
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

const MALFORMED_DETAIL = failure('MalformedDetail', 'Detail is malformed.');

const parseDetail = (text: string): Record<string, unknown> | EntryFailure => {
  // Depth first, by scanning: a hostile document must not reach JSON.parse or JSON.stringify.
  if (jsonDepth(text) > PutEventsLimits.maxDetailDepth) return MALFORMED_DETAIL;
  let detail: unknown;
  try {
    detail = JSON.parse(text);
  } catch {
    return MALFORMED_DETAIL;
  }
  return detail === null || typeof detail !== 'object' || Array.isArray(detail)
    ? MALFORMED_DETAIL
    : (detail as Record<string, unknown>);
};

const isFailure = (value: unknown): value is EntryFailure =>
  typeof value === 'object' && value !== null && 'ErrorCode' in value;

const acceptEntry = (
  entry: PutEventsRequestEntry,
  context: PutEventsContext,
): AcceptedPutEvent | EntryFailure => {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return failure(
        'InvalidArgument',
        `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      );
    }
  }
  const source = entry.Source as string;
  const detailType = entry.DetailType as string;
  if (detailType.length > PutEventsLimits.maxDetailTypeLength) {
    return failure(
      'InvalidArgument',
      `Parameter DetailType is not valid. Reason: longer than ${PutEventsLimits.maxDetailTypeLength} characters.`,
    );
  }
  if (source.length > PutEventsLimits.maxSourceLength) {
    return failure('InvalidArgument', 'Parameter Source is not valid. Reason: too long.');
  }
  // The aws.* namespace belongs to AWS services; EventBridge refuses it from PutEvents callers.
  if (source.startsWith('aws.'))
    return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
  const bus = busName(entry.EventBusName);
  if (!context.knownBuses.has(bus)) {
    return failure('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  }
  const time = eventTime(entry.Time, context.nowMs);
  if (isFailure(time)) return time;
  const detail = parseDetail(entry.Detail as string);
  if (isFailure(detail)) return detail;
  const envelope: EventBridgeEnvelope = {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT_ID,
    time,
    region: context.region,
    resources: Array.isArray(entry.Resources)
      ? entry.Resources.filter((r): r is string => typeof r === 'string')
      : [],
    detail,
  };
  return { bus, envelope, json: JSON.stringify(envelope) };
};
