import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { QueueClosedError, QueueFullError } from './local-queue.ts';
import {
  type AcceptedPutEvent,
  acceptPutEvents,
  PutEventsErrorType,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
  PutEventsValidationError,
} from './put-events.ts';

export interface EventsServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Buses that exist: the stack's bus and `default`. */
  readonly buses: readonly string[];
  /**
   * Delivers the accepted events of one call, all or none, resolving once they are durable; the
   * answer waits for it. Throwing `QueueFullError` answers ThrottlingException, `QueueClosedError`
   * ServiceUnavailable, anything else InternalFailure for every entry that would have been accepted.
   */
  readonly onEvents: (events: readonly AcceptedPutEvent[]) => Promise<unknown>;
  readonly now?: () => number;
  /**
   * Fault injection for tests: return an error for an entry to fail it as EventBridge would
   * (e.g. `{ ErrorCode: 'InternalFailure', ErrorMessage: '…' }`), or undefined to accept it.
   */
  readonly injectEntryFailure?: (entry: PutEventsRequestEntry, index: number) => FailedEntry | undefined;
}

export interface FailedEntry {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

// AWS SigV4 puts the region in the credential scope: Credential=AKID/20261123/eu-west-1/events/aws4_request.
const regionOf = (request: IncomingMessage): string =>
  /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? 'us-east-1';

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PutEventsValidationError('Request body is too large.'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const send = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
};

const injectFailures = (
  entries: readonly PutEventsRequestEntry[],
  results: PutEventsResultEntry[],
  accepted: readonly AcceptedPutEvent[],
  inject: NonNullable<EventsServerOptions['injectEntryFailure']>,
): AcceptedPutEvent[] => {
  const failedIds = new Set<string>();
  entries.forEach((entry, index) => {
    const result = results[index];
    const failure = result && 'EventId' in result ? inject(entry, index) : undefined;
    if (result && 'EventId' in result && failure) {
      failedIds.add(result.EventId);
      results[index] = { ErrorCode: failure.ErrorCode, ErrorMessage: failure.ErrorMessage };
    }
  });
  return accepted.filter((event) => !failedIds.has(event.envelope.id));
};

/** The request body must be a JSON object; anything else is a client error, never a 500. */
const parseBody = (text: string): { Entries?: unknown } => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PutEventsValidationError('Request body is not JSON.', PutEventsErrorType.serialization);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PutEventsValidationError(
      'Request body must be a JSON object (a PutEventsRequest).',
      PutEventsErrorType.serialization,
    );
  }
  return body as { Entries?: unknown };
};

type Answer =
  | { readonly results: PutEventsResultEntry[] }
  | { readonly status: number; readonly type: string; readonly message: string };

/** Hands the events on; when that fails, the answer says so for exactly the entries concerned. */
const deliver = async (
  delivered: readonly AcceptedPutEvent[],
  results: PutEventsResultEntry[],
  onEvents: EventsServerOptions['onEvents'],
): Promise<Answer> => {
  try {
    await onEvents(delivered);
    return { results };
  } catch (error) {
    if (error instanceof QueueFullError) {
      // What AWS answers when a caller exceeds the PutEvents rate: SDKs back off and retry it.
      return { status: 400, type: 'ThrottlingException', message: `Rate exceeded. ${error.message}` };
    }
    if (error instanceof QueueClosedError) {
      return { status: 503, type: 'ServiceUnavailable', message: error.message };
    }
    const failed = new Set(delivered.map((event) => event.envelope.id));
    return {
      results: results.map((result) =>
        'EventId' in result && failed.has(result.EventId)
          ? { ErrorCode: 'InternalFailure', ErrorMessage: `Not delivered: ${(error as Error).message}` }
          : result,
      ),
    };
  }
};

/**
 * An EventBridge-compatible endpoint for `PutEvents` (AWS JSON 1.1). It accepts any credentials and
 * region, so the AWS SDK, the AWS CLI and boto3 work against it unmodified with an endpoint override.
 *
 * @example
 * ```ts
 * const server = await startEventsServer({ port: 4010, buses: ['yardstick', 'default'], onEvents: route });
 * ```
 */
export const startEventsServer = async (options: EventsServerOptions): Promise<Server> => {
  const knownBuses = new Set(options.buses);
  const now = options.now ?? Date.now;
  const server = createServer(async (request, response) => {
    try {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST') {
        send(
          response,
          404,
          { __type: 'UnknownOperationException', message: 'Use POST with X-Amz-Target.' },
          'UnknownOperationException',
        );
        return;
      }
      const text = await readBody(request);
      if (target !== 'AWSEvents.PutEvents') {
        send(
          response,
          400,
          {
            __type: 'UnknownOperationException',
            message: `Local mode serves AWSEvents.PutEvents only; got ${String(target)}.`,
          },
          'UnknownOperationException',
        );
        return;
      }
      const body = parseBody(text);
      // Every entry gets its result before anything is delivered, and nothing is delivered that
      // the answer does not report as accepted.
      const { results, accepted } = acceptPutEvents(body.Entries, {
        knownBuses,
        region: regionOf(request),
        nowMs: now(),
      });
      const delivered = options.injectEntryFailure
        ? injectFailures(
            body.Entries as PutEventsRequestEntry[],
            results,
            accepted,
            options.injectEntryFailure,
          )
        : accepted;
      const answer = await deliver(delivered, results, options.onEvents);
      if ('status' in answer) {
        send(response, answer.status, { __type: answer.type, message: answer.message }, answer.type);
        return;
      }
      send(response, 200, {
        FailedEntryCount: answer.results.filter((r) => 'ErrorCode' in r).length,
        Entries: answer.results,
      });
    } catch (error) {
      if (error instanceof PutEventsValidationError) {
        send(response, 400, { __type: error.type, message: error.message }, error.type);
      } else {
        send(
          response,
          500,
          { __type: 'InternalException', message: (error as Error).message },
          'InternalException',
        );
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  return server;
};
