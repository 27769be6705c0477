import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { runLocalDigest } from '../../functions/digest/local.ts';
import { CatalogError, loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { WeekNotOverError } from '../../shared/digest/run.ts';
import { YardstickError } from '../../shared/errors.ts';
import { catalogGovernance, catalogWriteShards } from '../../shared/ingest/admission.ts';
import { importHistory } from '../../shared/ingest/import-history.ts';
import { ReplayInterruptedError, ReplayRefusedError } from '../../shared/replay/replay-errors.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { DEFAULT_TABLE_NAME } from '../../shared/store/dynamodb/table.ts';
import { ensureTable, JavaMissingError, localDynamoDbClient, startDynamoDbLocal } from './dynamodb-local.ts';
import { endpointOf, functionClients } from './iam-enforcement.ts';
import { type LocalCounting, startLocalCounting } from './local-counting.ts';
import { REPLAY_HELP, replayCommand } from './replay-command.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const HELP = `Usage: npx yardstick <command> [options]

Commands:
  digest    build the weekly value digest from local data, write it to the outbox, print it
  import    load history older than the lateness window through the exactly-once path
  replay    rebuild a workflow's counters from its recorded events (after a pricing fix or a new metric)

Options of digest:
  --week YYYY-Www            ISO week (UTC) to report; default: the last full week
  --format html|text|json    what to print or write; default: text
  --out FILE                 write to FILE instead of printing
  --help                     show this help

The digest is also "sent" to <YARDSTICK_DATA_DIR>/outbox/<week>.{html,txt,json}. It reads DynamoDB
Local on YARDSTICK_DDB_PORT (8000), table "yardstick"; when nothing answers there it starts DynamoDB
Local on <YARDSTICK_DATA_DIR>/dynamodb for the run. Catalog: YARDSTICK_CATALOG_FILE or catalog.json.

Usage of import: npx yardstick import FILE [--endpoint URL | --aws] [--table NAME] [--json]
  FILE is JSON Lines: one PutEvents entry per line ({"Source", "DetailType", "Detail"}) or one event
  as EventBridge archives it ({"source", "detail-type", "detail"}). Every line is validated, governed
  and deduplicated like a live event; only the lateness window is waived. Re-running an import, or an
  import overlapping live traffic, counts nothing twice. See docs/import.md.
  --endpoint URL             DynamoDB endpoint; default YARDSTICK_DYNAMODB_ENDPOINT, else local mode's
  --aws                      the real DynamoDB (default credential chain and region)
  --table NAME               table; default YARDSTICK_TABLE or "yardstick"
  --json                     print the report as JSON

${REPLAY_HELP}`;

/** A mistake in how the CLI was called: message on stderr, exit code 2. */
class UsageError extends YardstickError {}

const FORMATS = ['html', 'text', 'json'] as const;
type Format = (typeof FORMATS)[number];

const parseDigestArgs = (args: string[]) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      week: { type: 'string' },
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!FORMATS.includes(values.format as Format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got "${values.format}"`);
  if (values.week !== undefined && !/^\d{4}-W\d{2}$/.test(values.week))
    throw new UsageError(`--week must look like 2026-W47; got "${values.week}"`);
  return { ...values, format: values.format as Format };
};

// Uses the DynamoDB Local that `npm start` runs, or starts one on the same data for this run.
const connect = async (dataDir: string) => {
  const port = Number(process.env.YARDSTICK_DDB_PORT ?? 8000);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoDbClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return { client, stop: async () => client.destroy() };
  } catch {
    client.destroy();
    const started = await startDynamoDbLocal({ port, dataDir: join(dataDir, 'dynamodb') });
    return { client: started.client, stop: started.stop };
  }
};

const digestCommand = async (args: string[]) => {
  const options = parseDigestArgs(args);
  if (options.help) {
    console.log(HELP);
    return;
  }
  const catalog = loadCatalogFromEnvironment();
  const dataDir = process.env.YARDSTICK_DATA_DIR ?? '.yardstick';
  const tableName = process.env.YARDSTICK_TABLE ?? DEFAULT_TABLE_NAME;
  const dynamo = await connect(dataDir);
  try {
    await ensureTable(dynamo.client, tableName);
    const { digest, report } = await runLocalDigest({
      client: dynamo.client,
      tableName,
      catalog,
      dataDir,
      // Asking for the digest is asking for it to be written again, even for a week already sent.
      resend: true,
      ...(options.week ? { week: options.week } : {}),
    });
    const output = digest[options.format];
    if (options.out) writeFileSync(options.out, output);
    else process.stdout.write(output);
    console.error(
      `yardstick: digest ${digest.week} written to ${report.deliveries.join(', ')}${options.out ? ` and ${options.out}` : ''}`,
    );
  } finally {
    await dynamo.stop();
  }
};

const importCommand = async (args: string[]) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      endpoint: { type: 'string' },
      aws: { type: 'boolean' },
      table: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('import needs the FILE to load');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (values.aws && values.endpoint) throw new UsageError('give --endpoint or --aws, not both');
  const lines = readFileSync(file, 'utf8').split('\n');
  const catalog = loadCatalogFromEnvironment();
  const tableName = values.table ?? process.env.YARDSTICK_TABLE ?? DEFAULT_TABLE_NAME;
  const endpoint = values.endpoint ?? process.env.YARDSTICK_DYNAMODB_ENDPOINT;
  const dynamo = values.aws
    ? { client: new DynamoDBClient({}), stop: async () => undefined }
    : endpoint
      ? { client: localDynamoDbClient(endpoint), stop: async () => undefined }
      : await connect(process.env.YARDSTICK_DATA_DIR ?? '.yardstick');
  let counting: LocalCounting | undefined;
  try {
    if (!values.aws) {
      // Counting follows recording through the table's stream: locally this command applies it
      // itself (alongside local mode, if that runs too: applying is idempotent); on AWS the
      // deployed counters function does.
      const streamArn = await ensureTable(dynamo.client, tableName);
      const localEndpoint = await endpointOf(dynamo.client);
      counting = startLocalCounting({
        clients: functionClients('counters', { endpoint: localEndpoint, tableName }),
        tableName,
        streamArn,
      });
    }
    // Imported markers are kept for good, so the same history can be imported again safely.
    const store = new DynamoDbMetricsStore({
      client: dynamo.client,
      tableName,
      markerTtlDays: null,
      writeShardsOf: catalogWriteShards(catalog),
    });
    const report = await importHistory(lines, {
      store,
      price: catalog.price,
      nowMs: Date.now(),
      governance: catalogGovernance(catalog),
      onProgress: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\rimporting: ${done}/${total} events`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    await counting?.settle();
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(
        `Imported ${report.lines} events from ${file}: ${report.counted} counted, ${report.duplicates} duplicates, ` +
          `${report.conflicts} conflicts, ${report.quarantined} quarantined, ${report.failed} failed.`,
      );
      for (const problem of report.problems)
        console.log(`  line ${problem.line}: ${problem.code}: ${problem.message}`);
    }
    if (values.aws)
      console.log('The stack counts them from the table stream within its lag (docs/counting.md).');
    if (report.failed > 0) process.exitCode = 1;
  } finally {
    await counting?.stop();
    await dynamo.stop();
  }
};

const main = async (argv: string[]) => {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return;
  }
  if (command === 'digest') return digestCommand(rest);
  if (command === 'import') return importCommand(rest);
  if (command === 'replay')
    return replayCommand(rest, {
      catalog: loadCatalogFromEnvironment(),
      connectLocal: () => connect(process.env.YARDSTICK_DATA_DIR ?? '.yardstick'),
      usageError: (message) => new UsageError(message),
    });
  throw new UsageError(`unknown command "${command}"`);
};

main(process.argv.slice(2)).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (
    error instanceof UsageError ||
    code.startsWith('ERR_PARSE_ARGS') ||
    error instanceof RangeError ||
    error instanceof WeekNotOverError
  ) {
    console.error(`yardstick: ${(error as Error).message}\nRun "npx yardstick --help" for usage.`);
    process.exit(2);
  }
  if (
    error instanceof CatalogError ||
    error instanceof JavaMissingError ||
    error instanceof ReplayRefusedError ||
    error instanceof ReplayInterruptedError
  )
    console.error(`yardstick: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
