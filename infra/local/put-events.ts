import { randomUUID } from 'node:crypto';

/** AWS's PutEvents limits, enforced the same way locally. */
export const PutEventsLimits = {
  maxEntries: 10,
  maxRequestBytes: 256 * 1024,
  maxDetailTypeLength: 128,
  maxSourceLength: 256,
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

/** A request-level error, answered with HTTP 400 and AWS's JSON error shape. */
export class PutEventsValidationError extends Error {
  readonly type = 'ValidationException';
  constructor(message: string) {
    super(message);
    this.name = 'PutEventsValidationError';
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

const busName = (value: unknown): string => {
  if (typeof value !== 'string' || value === '') return 'default';
  // An ARN names the bus after its last slash.
  return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
};

const eventTime = (value: unknown, nowMs: number): string => {
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : nowMs;
  return new Date(Number.isFinite(ms) ? ms : nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
};

const isEntryComplete = (entry: PutEventsRequestEntry): boolean =>
  typeof entry.Source === 'string' &&
  typeof entry.DetailType === 'string' &&
  typeof entry.Detail === 'string';

export interface AcceptedPutEvent {
  readonly bus: string;
  readonly envelope: EventBridgeEnvelope;
}

/**
 * Validates a PutEvents request as EventBridge does and turns each good entry into the event its
 * targets receive. Request-level problems throw {@link PutEventsValidationError}; entry-level ones
 * become that entry's ErrorCode and ErrorMessage, and the other entries go through.
 *
 * @example
 * ```ts
 * const { results, accepted } = acceptPutEvents(body.Entries, { knownBuses: new Set(['default', 'yardstick']), region, nowMs: Date.now() });
 * ```
 */
export const acceptPutEvents = (
  entries: unknown,
  context: { readonly knownBuses: ReadonlySet<string>; readonly region: string; readonly nowMs: number },
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
  const typed = entries as PutEventsRequestEntry[];
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

const failure = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });

const acceptEntry = (
  entry: PutEventsRequestEntry,
  context: { readonly knownBuses: ReadonlySet<string>; readonly region: string; readonly nowMs: number },
): AcceptedPutEvent | { ErrorCode: string; ErrorMessage: string } => {
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
  const bus = busName(entry.EventBusName);
  if (!context.knownBuses.has(bus)) {
    return failure('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  return {
    bus,
    envelope: {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: LOCAL_ACCOUNT_ID,
      time: eventTime(entry.Time, context.nowMs),
      region: context.region,
      resources: Array.isArray(entry.Resources)
        ? entry.Resources.filter((r): r is string => typeof r === 'string')
        : [],
      detail: detail as Record<string, unknown>,
    },
  };
};

/** The account local mode pretends to be; a documentation placeholder, not a real account. */
export const LOCAL_ACCOUNT_ID = '000000000000';
