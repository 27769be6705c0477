import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLocalDigest } from '../../functions/digest/local.ts';
import { CatalogError, loadCatalogFromEnvironment } from '../../shared/catalog/load.ts';
import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';
import { seedDemo } from './demo/seed.ts';
import { JavaMissingError } from './dynamodb-local.ts';
import { opsPageRoutes } from './ops-page/static-routes.ts';
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
YARDSTICK_DDB_PORT (${LocalDefaults.dynamoDbPort}), YARDSTICK_DATA_DIR (${LocalDefaults.dataDir}), YARDSTICK_CATALOG_FILE (catalog.json).`;

const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535; got "${raw}"`);
  }
  return value;
};

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
    dynamoDb: {
      port: port('YARDSTICK_DDB_PORT', LocalDefaults.dynamoDbPort),
      dataDir: join(dataDir, 'dynamodb'),
    },
    catalog,
    staticRoutes: opsPageRoutes(),
  });
  console.log(`Yardstick local mode (catalog: ${catalog.origin}, data: ${dataDir}/)`);
  console.log(`  ops page         ${local.apiUrl}/`);
  console.log(`  query API        ${local.apiUrl}`);
  console.log(`  events endpoint  ${local.eventsUrl}  (bus "${local.busName}" or "default")`);
  console.log(`  DynamoDB Local   ${local.dynamoDbEndpoint}  (table "${local.tableName}")`);

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
    await local.drain();
    if (tty) process.stdout.write('\n');
    const pipeline = await local.store.readPipeline(new Date(nowMs).toISOString().slice(0, 10), '9999-12-31');
    const today = pipeline.at(-1);
    console.log(
      `Seeded demo week ${report.week}: ${report.accepted} events accepted by the endpoint` +
        `${Object.keys(report.refused).length ? `, refused per entry: ${JSON.stringify(report.refused)}` : ''}, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    if (today) {
      console.log(
        `Aggregation today: ${today.counted} counted, ${today.duplicates} duplicates dropped, ` +
          `${today.conflicts} conflicts, ${today.quarantined} quarantined (see ${local.apiUrl}/quarantine).`,
      );
    }
    const response = await fetch(`${local.apiUrl}/workflows`);
    const { workflows } = (await response.json()) as { workflows: WorkflowListEntry[] };
    console.log('\nLast 7 days, from GET /workflows:\n');
    console.log(formatFleetTable(workflows));
    const { digest } = await runLocalDigest({
      client: local.client,
      tableName: local.tableName,
      catalog,
      dataDir,
    });
    console.log(
      `\nThe weekly value digest (also in ${join(dataDir, 'outbox')}/ and at ${local.apiUrl}/digest):\n`,
    );
    console.log(digest.text);
  }

  console.log(`\nTry:  curl -s ${local.apiUrl}/workflows | head -c 600`);
  console.log(`      curl -s '${local.apiUrl}/workflows/invoice-triage/metrics?granularity=day'`);
  console.log('Serving until Ctrl-C.');
  const shutdown = async () => {
    console.log('\nStopping…');
    await local.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
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
