import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLocalDigest } from '../../functions/digest/local.ts';
import { CatalogError, loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import { plural } from '../../shared/format/rates.ts';
import type { Portfolio } from '../../shared/portfolio/model.ts';
import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';
import type { DeadLetterRecord } from './dead-letter-file.ts';
import { archivePastDigests } from './demo/past-digests.ts';
import { seedDemo } from './demo/seed.ts';
import { drainWithProgress, type ProgressOutput } from './drain-progress.ts';
import { JavaMissingError } from './dynamodb-local.ts';
import { LocalQueueDefaults } from './local-queue.ts';
import { opsPageRoutes } from './ops-page/static-routes.ts';
import { formatPortfolioTable } from './portfolio-table.ts';
import { LocalDefaults, startLocalRuntime } from './runtime.ts';
import { formatFleetTable } from './summary.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const HELP = `Usage: npm start [-- --no-demo] [-- --reset]

Starts Yardstick in local mode: DynamoDB Local, an EventBridge-compatible endpoint, the
aggregation pipeline and the query API, then seeds a demo fleet through the real ingestion path.

  --no-demo   start empty
  --reset     delete the local data folder first
  --help      show this help

Environment: YARDSTICK_API_PORT (${LocalDefaults.apiPort}), YARDSTICK_EVENTS_PORT (${LocalDefaults.eventsPort}),
YARDSTICK_OTLP_PORT (${LocalDefaults.otlpPort}: the OTLP/HTTP endpoint, POST /v1/traces and /v1/logs),
YARDSTICK_DDB_PORT (${LocalDefaults.dynamoDbPort}), YARDSTICK_DATA_DIR (${LocalDefaults.dataDir}), YARDSTICK_CATALOG_FILE (catalog.json),
YARDSTICK_DYNAMODB_ENDPOINT (unset: start DynamoDB Local; set, e.g. http://127.0.0.1:8000: use that
DynamoDB instead and create the table if missing), YARDSTICK_QUEUE_MAX_MESSAGES (${LocalQueueDefaults.maxMessages}: events
held before PutEvents answers ThrottlingException).

Every event acknowledged with an EventId is in the queue journal (<data>/queue/) before the answer
and is counted after a crash on the next start. Ctrl-C stops accepting and drains; Ctrl-C again
stops at once, keeping the rest for the next start. See docs/local-mode.md.`;

const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535; got "${raw}"`);
  }
  return value;
};

const positiveInteger = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer; got "${raw}"`);
  return value;
};

/** The DynamoDB to use: an existing endpoint (YARDSTICK_DYNAMODB_ENDPOINT), or DynamoDB Local under the data folder. */
const dynamoDbOption = (dataDir: string) => {
  const endpoint = process.env.YARDSTICK_DYNAMODB_ENDPOINT;
  if (endpoint === undefined || endpoint === '') {
    return {
      port: port('YARDSTICK_DDB_PORT', LocalDefaults.dynamoDbPort),
      dataDir: join(dataDir, 'dynamodb'),
    };
  }
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new Error(`YARDSTICK_DYNAMODB_ENDPOINT must be an http(s) URL; got "${endpoint}"`);
  }
  return { endpoint };
};

/** One line per dead letter: when, and which event (its body is the EventBridge event). */
const describeDeadLetter = (record: DeadLetterRecord): string => {
  let event: {
    'detail-type'?: unknown;
    source?: unknown;
    detail?: { workflowId?: unknown; eventId?: unknown };
  } = {};
  try {
    event = JSON.parse(record.body);
  } catch {
    // shown by its message id alone
  }
  return `${record.deadLetteredAt}  ${String(event['detail-type'] ?? '?')} from ${String(event.source ?? '?')}, workflow ${String(event.detail?.workflowId ?? '?')}, eventId ${String(event.detail?.eventId ?? '?')} (message ${record.messageId})`;
};

const stdout: ProgressOutput = {
  tty: Boolean(process.stdout.isTTY),
  write: (text) => process.stdout.write(text),
};

/**
 * Ctrl-C and SIGTERM, handled by one listener for the whole run: removing and re-adding listeners
 * would restore the default action in between, and a quick second Ctrl-C would kill the process
 * mid-shutdown. A signal nobody waits for (during start-up or the demo) exits at once: everything
 * acknowledged is already in the journal.
 */
const signals = (() => {
  const waiters: Array<() => void> = [];
  const onSignal = () => {
    if (waiters.length === 0) process.exit(130);
    for (const resolve of waiters.splice(0)) resolve();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { next: () => new Promise<void>((resolve) => waiters.push(resolve)) };
})();

const main = async () => {
  const { values } = parseArgs({
    options: { 'no-demo': { type: 'boolean' }, reset: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const dataDir = process.env.YARDSTICK_DATA_DIR ?? LocalDefaults.dataDir;
  if (values.reset) rmSync(dataDir, { recursive: true, force: true });
  const catalog = loadCatalogFromEnvironment();
  const started = Date.now();
  const local = await startLocalRuntime({
    apiPort: port('YARDSTICK_API_PORT', LocalDefaults.apiPort),
    eventsPort: port('YARDSTICK_EVENTS_PORT', LocalDefaults.eventsPort),
    otlpPort: port('YARDSTICK_OTLP_PORT', LocalDefaults.otlpPort),
    dynamoDb: dynamoDbOption(dataDir),
    queueDataDir: dataDir,
    queue: { maxMessages: positiveInteger('YARDSTICK_QUEUE_MAX_MESSAGES', LocalQueueDefaults.maxMessages) },
    catalog,
    staticRoutes: opsPageRoutes(),
  });
  console.log(`Yardstick local mode (catalog: ${catalog.origin}, data: ${dataDir}/)`);
  console.log(`  ops page         ${local.apiUrl}/`);
  console.log(`  query API        ${local.apiUrl}`);
  console.log(`  events endpoint  ${local.eventsUrl}  (bus "${local.busName}" or "default")`);
  console.log(`  OTLP endpoint    ${local.otlpUrl}  (POST /v1/traces, /v1/logs; docs/otlp.md)`);
  console.log(
    `  DynamoDB         ${local.dynamoDbEndpoint}  (table "${local.tableName}"${process.env.YARDSTICK_DYNAMODB_ENDPOINT ? ', YARDSTICK_DYNAMODB_ENDPOINT' : ', DynamoDB Local'})`,
  );
  const deadLetters = local.deadLetters?.read() ?? [];
  if (deadLetters.length > 0) {
    console.log(
      `  dead letters     ${deadLetters.length} message(s) failed every delivery attempt; kept in ${local.deadLetters?.path}`,
    );
    for (const record of deadLetters.slice(-5))
      console.log(`                   ${describeDeadLetter(record)}`);
  }
  if (local.queue.stats.recovered > 0) {
    // Acknowledged before the last stop or crash and not yet counted: counted now, not re-sent.
    await drainWithProgress(
      local.queue,
      `Counting ${local.queue.stats.recovered} events recovered from ${join(dataDir, 'queue')}/`,
      stdout,
    );
  }
  // Events recorded before the last stop but not yet counted wait in the table's stream: count them
  // before serving, so that a restart never shows counts behind what was acknowledged before it.
  await local.drain();

  if (!values['no-demo']) {
    const nowMs = Date.now();
    const tty = process.stdout.isTTY;
    let lastShown = -1;
    const report = await seedDemo({
      eventsUrl: local.eventsUrl,
      busName: local.busName,
      nowMs,
      onProgress: (sent, total) => {
        const percent = Math.floor((sent / total) * 100);
        if (percent === lastShown || (!tty && percent % 25 !== 0)) return;
        lastShown = percent;
        const text = `Seeding the demo fleet through PutEvents: ${sent}/${total} events (${percent}%)`;
        if (tty) process.stdout.write(`\r${text}`);
        else console.log(text);
      },
    });
    if (tty) process.stdout.write('\n');
    // Seeding outruns counting: show the backlog going down rather than a silent wait.
    await drainWithProgress(local.queue, 'Counting the queued demo events', stdout);
    await local.drain();
    const pipeline = await local.store.readPipeline(new Date(nowMs).toISOString().slice(0, 10), '9999-12-31');
    const today = pipeline.at(-1);
    console.log(
      `Seeded demo week ${report.week}: ${report.accepted} events accepted by the endpoint` +
        `${Object.keys(report.refused).length ? `, refused per entry: ${JSON.stringify(report.refused)}` : ''}, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    if (today) {
      console.log(
        // Only `counted` is distinct events; the rest count deliveries (PIPELINE_COUNTERS).
        `Aggregation today: ${plural(today.counted, 'event')} counted; deliveries: ` +
          `${plural(today.duplicates, 'duplicate')} dropped, ${plural(today.conflicts, 'conflict')}, ` +
          `${today.quarantined} quarantined (see ${local.apiUrl}/quarantine).`,
      );
    }
    const response = await fetch(`${local.apiUrl}/workflows`);
    const { workflows } = (await response.json()) as { workflows: WorkflowListEntry[] };
    console.log('\nLast 7 days, from GET /workflows:\n');
    console.log(formatFleetTable(workflows));
    const digestOptions = { client: local.client, tableName: local.tableName, catalog, dataDir };
    // The weeks before first, so the archive holds the verdict history the portfolio's streaks read.
    const past = await archivePastDigests({ ...digestOptions, nowMs });
    const { digest } = await runLocalDigest({ ...digestOptions, nowMs });
    console.log(
      `\nArchived the digests of ${past.join(', ')} and ${digest.week} (GET /digest?week=, GET /portfolio?week=).`,
    );
    const portfolio = (await (
      await fetch(`${local.apiUrl}/portfolio?week=${digest.week}`)
    ).json()) as Portfolio;
    console.log(`\nThe portfolio of ${digest.week}, from GET /portfolio (docs/portfolio.md):\n`);
    console.log(formatPortfolioTable(portfolio));
    console.log(
      `\nThe weekly value digest (also in ${join(dataDir, 'outbox')}/ and at ${local.apiUrl}/digest):\n`,
    );
    console.log(digest.text);
  }

  console.log(`\nTry:  curl -s ${local.apiUrl}/workflows | head -c 600`);
  console.log(`      curl -s '${local.apiUrl}/workflows/invoice-triage/metrics?granularity=day'`);
  console.log('Serving until Ctrl-C.');
  await signals.next();
  const interrupted = signals.next(); // registered before anything else can run: no gap
  await local.stopAccepting();
  console.log(
    `\nStopping: PutEvents closed. Counting the ${local.queue.pending} queued events; Ctrl-C again stops now and keeps them in ${join(dataDir, 'queue')}/ for the next start.`,
  );
  const outcome = await drainWithProgress(local.queue, 'Draining', stdout, interrupted);
  await local.stop();
  if (outcome === 'interrupted') console.log(`${local.queue.pending} events kept for the next start.`);
  process.exit(0);
};

main().catch((error: unknown) => {
  if (error instanceof CatalogError || error instanceof JavaMissingError) {
    console.error(`yardstick: ${error.message}`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `yardstick: a port is already in use (${(error as Error).message}). Stop the other process or set YARDSTICK_API_PORT / YARDSTICK_EVENTS_PORT / YARDSTICK_DDB_PORT.`,
    );
  } else {
    console.error(error);
  }
  process.exit(1);
});
