import type { Server } from 'node:http';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { INGESTION_RULES } from '../../events/patterns.ts';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createOtlpHandler } from '../../functions/otlp/handler.ts';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import type { FunctionName } from '../../shared/config/functions.ts';
import type { FunctionPermissionSet } from '../../shared/config/permissions.ts';
import { catalogGovernance, catalogWriteShards } from '../../shared/ingest/admission.ts';
import type { CounterApplierOptions } from '../../shared/store/dynamodb/counter-applier.ts';
import { DynamoDbDigestArchive } from '../../shared/store/dynamodb/dynamodb-digest-archive.ts';
import {
  DynamoDbMetricsStore,
  type DynamoDbMetricsStoreOptions,
} from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { DEFAULT_TABLE_NAME } from '../../shared/store/dynamodb/table.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';
import { type StaticResponse, startApiServer } from './api-server.ts';
import { type DeadLetterFile, deadLetterFile } from './dead-letter-file.ts';
import {
  ensureTable,
  localDynamoDbClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local.ts';
import type { EventPattern } from './event-pattern.ts';
import { type EventsServerOptions, startEventsServer } from './events-server.ts';
import { type AccessDeniedException, functionClients } from './iam-enforcement.ts';
import { localLambdaContext } from './lambda-context.ts';
import { startLocalCounting } from './local-counting.ts';
import { LocalQueue, type LocalQueueOptions } from './local-queue.ts';
import { startOtlpServer } from './otlp-server.ts';
import { openQueueJournal } from './queue-journal.ts';
import { createRouter } from './router.ts';
import type { StreamPoller } from './stream-poller.ts';

export const LocalDefaults = {
  apiPort: 4000,
  eventsPort: 4010,
  dynamoDbPort: 8000,
  otlpPort: 4318,
  dataDir: '.yardstick',
  busName: 'yardstick',
} as const;

export interface LocalRuntimeOptions {
  readonly apiPort: number;
  readonly eventsPort: number;
  /**
   * Port of the OTLP/HTTP listener (docs/otlp.md); 0 picks a free one.
   * @default - no OTLP listener
   */
  readonly otlpPort?: number;
  /** Use a running DynamoDB (endpoint), or start DynamoDB Local on a port with an optional data folder. */
  readonly dynamoDb: { readonly endpoint: string } | { readonly port: number; readonly dataDir?: string };
  readonly catalog: LoadedCatalog;
  /** @default 'yardstick' */
  readonly tableName?: string;
  /** @default 'yardstick' */
  readonly busName?: string;
  readonly queue?: Partial<Omit<LocalQueueOptions, 'consumer' | 'journal' | 'deadLetterFile'>>;
  /**
   * Folder for the queue's journal (`queue/`) and dead letters (`dead-letters.jsonl`): acknowledged
   * events survive a crash and are counted on the next start. In memory when absent (tests).
   */
  readonly queueDataDir?: string;
  readonly store?: Partial<Omit<DynamoDbMetricsStoreOptions, 'client' | 'tableName'>>;
  /** Options of the counters function's applier; tests inject crashes here. */
  readonly counters?: Partial<Omit<CounterApplierOptions, 'client' | 'tableName'>>;
  readonly staticRoutes?: Readonly<Record<string, () => StaticResponse | Promise<StaticResponse>>>;
  readonly now?: () => number;
  /** New uncatalogued workflow ids admitted per day. @default ProducerLimits.newWorkflowsPerDay */
  readonly newWorkflowsPerDay?: number;
  /** Fault injection on the events endpoint, for tests of producers' retries. */
  readonly injectEntryFailure?: EventsServerOptions['injectEntryFailure'];
  /** Local IAM enforcement: tests narrow a function's permissions and observe the refusals. */
  readonly iam?: {
    /** @default FunctionPermissions of each function (shared/config/permissions.ts) */
    readonly permissions?: Partial<Record<FunctionName, FunctionPermissionSet>>;
    readonly onDenied?: (functionName: FunctionName, error: AccessDeniedException) => void;
  };
}

export interface LocalRuntime {
  readonly apiUrl: string;
  readonly eventsUrl: string;
  /** The OTLP/HTTP endpoint's base URL (exporters append `/v1/traces`, `/v1/logs`), when started. */
  readonly otlpUrl?: string;
  readonly dynamoDbEndpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly busName: string;
  /** The query API's store: reads with the api function's permissions. */
  readonly store: DynamoDbMetricsStore;
  readonly queue: LocalQueue;
  readonly router: ReturnType<typeof createRouter>;
  /** Feeds the table's stream to the counters function. */
  readonly streamPoller: StreamPoller;
  /** Dead-lettered messages, when the queue persists them (`queueDataDir`). */
  readonly deadLetters?: DeadLetterFile;
  /** Closes the events endpoint: new PutEvents calls are refused, the queue keeps draining. */
  stopAccepting(): Promise<void>;
  /** Resolves when every routed event has been recorded (or dead-lettered) and counted. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * Local mode: DynamoDB Local, the EventBridge-compatible endpoint, the router with the stack's
 * patterns, SQS-like batching into the real aggregate handler, and the query API.
 *
 * @example
 * ```ts
 * const local = await startLocalRuntime({ apiPort: 4000, eventsPort: 4010, dynamoDb: { port: 8000, dataDir: '.yardstick/dynamodb' }, catalog });
 * await local.drain();
 * ```
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const busName = options.busName ?? LocalDefaults.busName;
  const now = options.now ?? Date.now;
  let dynamo: RunningDynamoDbLocal | undefined;
  let client: DynamoDBClient;
  let endpoint: string;
  if ('endpoint' in options.dynamoDb) {
    endpoint = options.dynamoDb.endpoint;
    client = localDynamoDbClient(endpoint);
  } else {
    dynamo = await startDynamoDbLocal(options.dynamoDb);
    endpoint = dynamo.endpoint;
    client = dynamo.client;
  }
  const streamArn = await ensureTable(client, tableName);

  // Each function's clients allow exactly the actions its CDK role grants, so a call without a grant
  // fails here as on AWS. Table creation above is not a function: it keeps the unrestricted client.
  const clientsOf = (functionName: FunctionName, more: { eventsEndpoint?: string } = {}) =>
    functionClients(functionName, {
      ...more,
      endpoint,
      tableName,
      permissions: options.iam?.permissions?.[functionName],
      onDenied: (error) => options.iam?.onDenied?.(functionName, error),
    });
  const aggregateClients = clientsOf('aggregate');
  const countersClients = clientsOf('counters');
  const apiClients = clientsOf('api');
  const store = new DynamoDbMetricsStore({
    client: aggregateClients.dynamodb,
    tableName,
    now,
    writeShardsOf: catalogWriteShards(options.catalog),
    ...options.store,
  });
  const apiStore = new DynamoDbMetricsStore({ client: apiClients.dynamodb, tableName, now });
  const aggregateLogger = createLogger('yardstick-aggregate');
  const aggregate = createAggregateHandler({
    store,
    price: options.catalog.price,
    logger: aggregateLogger,
    latenessDays: DEFAULT_LATENESS_DAYS,
    governance: catalogGovernance(options.catalog, options.newWorkflowsPerDay),
    now,
  });
  // The counters function, fed by the table's stream as Lambda's event source mapping would feed it.
  const counting = startLocalCounting({
    clients: countersClients,
    tableName,
    streamArn,
    now,
    applier: options.counters,
  });
  const streamPoller = counting.poller;
  const journal = options.queueDataDir
    ? await openQueueJournal({ directory: join(options.queueDataDir, 'queue') })
    : undefined;
  const deadLetters = options.queueDataDir
    ? deadLetterFile(join(options.queueDataDir, 'dead-letters.jsonl'))
    : undefined;
  const queue = new LocalQueue({
    ...options.queue,
    journal,
    deadLetterFile: deadLetters,
    // What a batch recorded is on the stream now: poll it without waiting out a quiet pause.
    consumer: (event: SQSEvent) =>
      aggregate(event, localLambdaContext('yardstick-aggregate')).finally(() => streamPoller.nudge()),
    onConsumerError: (error) =>
      aggregateLogger.error('aggregate invocation failed', { error: error as Error }),
  });
  const router = createRouter(
    Object.entries(INGESTION_RULES).map(([name, pattern]) => ({
      name,
      buses: [busName, 'default'],
      pattern: pattern as unknown as EventPattern,
      target: (bodies: readonly string[]) => queue.sendAll(bodies),
    })),
  );
  const eventsServer = await startEventsServer({
    port: options.eventsPort,
    buses: [busName, 'default'],
    onEvents: router,
    now,
    injectEntryFailure: options.injectEntryFailure,
  });
  const apiServer = await startApiServer({
    port: options.apiPort,
    handler: createApiHandler(
      {
        store: apiStore,
        catalog: options.catalog,
        now,
        digests: new DynamoDbDigestArchive({ client: apiClients.dynamodb, tableName }),
      },
      createLogger('yardstick-api'),
    ),
    staticRoutes: options.staticRoutes,
  });
  const portOf = (server: Server) => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  };
  const eventsUrl = `http://127.0.0.1:${portOf(eventsServer)}`;
  // The otlp function's EventBridge client, limited to its grants, sends to the events endpoint.
  const otlpClients =
    options.otlpPort === undefined ? undefined : clientsOf('otlp', { eventsEndpoint: eventsUrl });
  const otlpServer = otlpClients
    ? await startOtlpServer({
        port: options.otlpPort ?? LocalDefaults.otlpPort,
        handler: createOtlpHandler({
          catalog: options.catalog.catalog,
          eventBridge: otlpClients.eventBridge,
          busName,
          logger: createLogger('yardstick-otlp'),
        }),
      })
    : undefined;
  return {
    apiUrl: `http://127.0.0.1:${portOf(apiServer)}`,
    eventsUrl,
    ...(otlpServer ? { otlpUrl: `http://127.0.0.1:${portOf(otlpServer)}` } : {}),
    dynamoDbEndpoint: endpoint,
    client,
    tableName,
    busName,
    store: apiStore,
    queue,
    router,
    deadLetters,
    streamPoller,
    // Counting follows recording by the stream's lag: drained means both are done.
    drain: async () => {
      await queue.drain();
      await streamPoller.settle();
    },
    stopAccepting: () => close(eventsServer),
    stop: async () => {
      if (otlpServer) await close(otlpServer);
      await close(eventsServer);
      // Waits for the batches in flight; whatever is still queued stays in the journal.
      await queue.close();
      // Counts what was recorded, unless the counters function keeps failing a batch: that stays in
      // the stream (as on AWS) and is counted on the next start.
      if (!(await streamPoller.settleUnlessStalled()))
        createLogger('yardstick-counters').warn(
          'stopping with a stream batch still failing; it is counted on the next start',
        );
      await streamPoller.stop();
      await close(apiServer);
      aggregateClients.destroy();
      countersClients.destroy();
      apiClients.destroy();
      otlpClients?.destroy();
      if (dynamo) await dynamo.stop();
      else client.destroy();
    },
  };
};
