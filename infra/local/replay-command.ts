import { connect as connectTcp } from 'node:net';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { markerTtlDays } from '../../events/event-time.ts';
import { DEFAULT_LATENESS_DAYS } from '../../events/validate.ts';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import { formatUsd } from '../../shared/format/money.ts';
import { nanosToUsd } from '../../shared/money.ts';
import { type PausedRecording, pauseRecording } from '../../shared/replay/recording-pause.ts';
import { ReplayRefusedError } from '../../shared/replay/replay-errors.ts';
import { DeltaSource, type DeltaSourceName } from '../../shared/replay/replay-plan.ts';
import type { ReplayTotals } from '../../shared/replay/replay-totals.ts';
import { replayFromMs } from '../../shared/replay/replay-window.ts';
import { type ReplayReport, replayWorkflow } from '../../shared/replay/replay-workflow.ts';
import { DEFAULT_TABLE_NAME } from '../../shared/store/dynamodb/table.ts';
import { ensureTable, localDynamoDbClient } from './dynamodb-local.ts';
import { endpointOf, functionClients } from './iam-enforcement.ts';
import { type LocalCountingOptions, startLocalCounting } from './local-counting.ts';
import { LocalDefaults } from './runtime.ts';

export const REPLAY_HELP = `Usage of replay: npx yardstick replay --workflow ID [--workflow ID …] [options]
  Rebuilds the workflows' counters from their recorded events: every event re-priced with the
  catalog's current prices (or --stored-deltas), the counter items and user sketches of each bucket
  the recorded events still cover overwritten, items no event supports removed. Counting must be
  paused while it runs: locally, stop local mode first (Ctrl-C drains); on AWS the command pauses the
  aggregate function's queue mapping itself and resumes it after. See docs/replay.md.
  --workflow ID              a workflow to rebuild (repeatable)
  --since YYYY-MM-DD         rebuild from this UTC day; default the first day recorded events cover
  --kept-history             allow --since before that day (every event from it on is kept: imported)
  --stored-deltas            count each event with the delta stored at admission, not re-priced
  --lateness-days N          the deployment's LATENESS_DAYS (recorded events expire after it + 21 days); default ${DEFAULT_LATENESS_DAYS}
  --dry-run                  compute and report, write nothing
  --endpoint URL             DynamoDB endpoint; default YARDSTICK_DYNAMODB_ENDPOINT, else local mode's data folder
  --aws                      the real DynamoDB (default credential chain), with:
  --aggregate-function NAME  the stack's aggregate function, whose SQS mapping is paused (required with --aws)
  --region REGION            AWS region; default the SDK's (AWS_REGION, profile)
  --skip-catch-up            do not read the table's stream to finish counting first (you checked IteratorAge is 0)
  --table NAME               table; default YARDSTICK_TABLE or "yardstick"
  --json                     print the reports as JSON`;

export interface ReplayCommandDependencies {
  readonly catalog: LoadedCatalog;
  /** Local mode's DynamoDB Local on the data folder (started for the run when nothing answers). */
  readonly connectLocal: () => Promise<{ client: DynamoDBClient; stop: () => Promise<void> }>;
  readonly usageError: (message: string) => Error;
}

/** Whether something listens on local mode's events port: local mode is running and may record. */
const localModeRunning = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Brings counting up to date before a rebuild: reads the table's stream from its trim horizon and
 * applies every recorded event not yet counted, with the counters function's own code (applying is
 * idempotent, so events the function counted already add nothing). With recording paused, every
 * recorded event is then counted: the counters and the recorded events agree, and a rebuild from the
 * recorded events loses and doubles nothing.
 *
 * @example
 * ```ts
 * await catchUpCounting({ clients, tableName, streamArn });
 * ```
 */
export const catchUpCounting = async (
  options: LocalCountingOptions,
  log: (line: string) => void = () => undefined,
): Promise<void> => {
  log('catching up: applying the table stream to the counters');
  const counting = startLocalCounting(options);
  try {
    if (!(await counting.poller.settleUnlessStalled(5)))
      throw new ReplayRefusedError('counting is stuck on a stream batch (see the log); not replaying');
  } finally {
    await counting.stop();
  }
};

const usd = (nanos: bigint) => formatUsd(nanosToUsd(nanos));

/** The report as a person reads it. */
export const describeReplay = (report: ReplayReport): string => {
  const line = (label: string, pick: (t: ReplayTotals) => string) =>
    `  ${label.padEnd(18)} ${pick(report.before)} → ${pick(report.after)}`;
  return [
    `${report.dryRun ? 'Would replay' : 'Replayed'} ${report.workflowId} from ${report.from.slice(0, 10)} ` +
      `(${report.source === DeltaSource.reprice ? 're-priced with the current catalog' : 'stored deltas'}):`,
    `  events             ${report.eventsRead} read, ${report.eventsReplayed} in the window, ${report.eventsChanged} with a new delta` +
      (report.unreadable > 0 ? `, ${report.unreadable} unreadable (left alone)` : ''),
    `  counter items      ${report.countersRewritten} rewritten, ${report.countersUnchanged} unchanged, ${report.countersRemoved} removed` +
      (report.sharedAdjusted > 0 ? `, ${report.sharedAdjusted} shared adjusted` : ''),
    `  user sketches      ${report.sketchesRewritten} rewritten, ${report.sketchesRemoved} removed`,
    line('cost', (t) => usd(t.costNanos)),
    line('value (reported)', (t) => usd(t.valueReportedNanos)),
    line('runs', (t) => t.runs.toLocaleString('en-US')),
    line('usage events', (t) => t.usageEvents.toLocaleString('en-US')),
  ].join('\n');
};

const parse = (args: string[]) =>
  parseArgs({
    args,
    strict: true,
    options: {
      workflow: { type: 'string', multiple: true },
      since: { type: 'string' },
      'kept-history': { type: 'boolean' },
      'stored-deltas': { type: 'boolean' },
      'lateness-days': { type: 'string' },
      'dry-run': { type: 'boolean' },
      endpoint: { type: 'string' },
      aws: { type: 'boolean' },
      'aggregate-function': { type: 'string' },
      region: { type: 'string' },
      'skip-catch-up': { type: 'boolean' },
      table: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values;

/**
 * `yardstick replay`: pauses recording (AWS) or checks that local mode is stopped, catches counting
 * up with the stream, rebuilds each workflow, resumes recording, and prints what it did.
 */
export const replayCommand = async (args: string[], deps: ReplayCommandDependencies): Promise<void> => {
  const values = parse(args);
  if (values.help) {
    console.log(REPLAY_HELP);
    return;
  }
  const workflows = values.workflow ?? [];
  if (workflows.length === 0) throw deps.usageError('replay needs --workflow ID');
  if (values.aws && values.endpoint) throw deps.usageError('give --endpoint or --aws, not both');
  if (values.aws && !values['aggregate-function'])
    throw deps.usageError(
      '--aws needs --aggregate-function NAME, whose queue mapping is paused during the replay',
    );
  const latenessDays = Number(values['lateness-days'] ?? DEFAULT_LATENESS_DAYS);
  if (!Number.isInteger(latenessDays) || latenessDays < 1 || latenessDays > DEFAULT_LATENESS_DAYS)
    throw deps.usageError(`--lateness-days must be a whole number from 1 to ${DEFAULT_LATENESS_DAYS}`);
  const nowMs = Date.now();
  const fromMs = replayFromMs({
    nowMs,
    markerTtlDays: markerTtlDays(latenessDays),
    since: values.since,
    keptHistory: values['kept-history'],
  });
  const source: DeltaSourceName = values['stored-deltas'] ? DeltaSource.stored : DeltaSource.reprice;
  const tableName = values.table ?? process.env.YARDSTICK_TABLE ?? DEFAULT_TABLE_NAME;
  const log = (line: string) => console.error(`yardstick: ${line}`);
  const dryRun = values['dry-run'] ?? false;

  let paused: PausedRecording | undefined;
  let counting: LocalCountingOptions | undefined;
  let client: DynamoDBClient;
  let stop: () => Promise<void> = async () => {};
  if (values.aws) {
    const region = values.region;
    client = new DynamoDBClient(region ? { region } : {});
    if (!dryRun)
      paused = await pauseRecording({
        lambda: new LambdaClient(region ? { region } : {}),
        aggregateFunction: values['aggregate-function'] as string,
        log,
      });
    if (!values['skip-catch-up']) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (!Table?.LatestStreamArn) throw new ReplayRefusedError(`table ${tableName} has no stream`);
      counting = {
        clients: { dynamodb: client, dynamodbStreams: new DynamoDBStreamsClient(region ? { region } : {}) },
        tableName,
        streamArn: Table.LatestStreamArn,
      };
    }
  } else {
    const eventsPort = Number(process.env.YARDSTICK_EVENTS_PORT ?? LocalDefaults.eventsPort);
    if (!dryRun && (await localModeRunning(eventsPort)))
      throw new ReplayRefusedError(
        `local mode is running (port ${eventsPort} answers) and keeps recording: stop it first (Ctrl-C drains its queue), then replay`,
      );
    const endpoint = values.endpoint ?? process.env.YARDSTICK_DYNAMODB_ENDPOINT;
    const connection = endpoint
      ? { client: localDynamoDbClient(endpoint), stop: async () => undefined }
      : await deps.connectLocal();
    client = connection.client;
    stop = connection.stop;
    const streamArn = await ensureTable(client, tableName);
    counting = {
      clients: functionClients('counters', { endpoint: await endpointOf(client), tableName }),
      tableName,
      streamArn,
    };
  }
  try {
    if (counting) await catchUpCounting(counting, log);
    const reports: ReplayReport[] = [];
    for (const workflowId of workflows) {
      const report = await replayWorkflow({
        client,
        tableName,
        workflowId,
        price: deps.catalog.price,
        source,
        fromMs,
        nowMs,
        dryRun,
      });
      reports.push(report);
      if (!values.json) console.log(describeReplay(report));
    }
    if (values.json)
      console.log(
        JSON.stringify(reports, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2),
      );
  } finally {
    await paused?.resume();
    await stop();
  }
};
