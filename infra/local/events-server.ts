import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type AcceptedPutEvent,
  acceptPutEvents,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
  PutEventsValidationError,
} from './put-events.ts';

export interface EventsServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Buses that exist: the stack's bus and `default`. */
  readonly buses: readonly string[];
  readonly onEvents: (events: readonly AcceptedPutEvent[]) => void;
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
      let body: { Entries?: unknown };
      try {
        body = JSON.parse(text) as { Entries?: unknown };
      } catch {
        send(
          response,
          400,
          { __type: 'SerializationException', message: 'Request body is not JSON.' },
          'SerializationException',
        );
        return;
      }
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
      options.onEvents(delivered);
      send(response, 200, {
        FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
        Entries: results,
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
