import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import eventsPackage from '../../events/package.json' with { type: 'json' };
import { dayRangeAround, getJson, startTestLocalMode } from '../support/local-mode.ts';
import { lockedProject } from '../support/npm-lock.ts';

const run = promisify(execFile);
const NPM = 'npm';

/** What an application writes after `npm install @yardstick/events`: plain JavaScript, plain Node. */
const CONSUMER = `
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createRecorder, PutEventsLimits } from '@yardstick/events/recorder';
import { validateEvent, defaultTimeWindow } from '@yardstick/events/contract';
import usageSchema from '@yardstick/events/schemas/ai.workflow.usage.schema.json' with { type: 'json' };

const client = new EventBridgeClient({ endpoint: process.env.EVENTS_URL, region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const recorder = createRecorder({ workflowId: 'npm-consumer', source: 'acme.npm-consumer', client });
await recorder.run(async (run) => {
  run.usage({ model: 'gpt-4o-mini', inputTokens: 640, outputTokens: 90, latencyMs: 420 });
  run.outcome({ status: 'succeeded', valueUsd: 2.5 });
});
const flushed = await recorder.close();
const refused = validateEvent({ detailType: 'ai.workflow.usage', source: 'x', detail: {} }, defaultTimeWindow());
console.log(JSON.stringify({ flushed, maxEntries: PutEventsLimits.maxEntries, schemaTitle: usageSchema.title,
  refusedCode: refused.ok ? null : refused.rejection.code }));
`;

describe('the @yardstick/events package, packed and installed like any npm dependency', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  const folder = mkdtempSync(join(tmpdir(), 'yardstick-pack-'));

  beforeAll(async () => {
    local = await startTestLocalMode();
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
    rmSync(folder, { recursive: true, force: true });
  });

  it('npm pack builds JavaScript and declarations, and plain node imports the installed tarball to publish a run that is counted', async () => {
    // Prepare: the tarball, and a consumer project whose dependencies (the package's own) are locked
    // to this repository's versions, so that the install runs offline from the npm cache.
    const { stdout: packed } = await run(
      NPM,
      ['pack', '--workspace', eventsPackage.name, '--pack-destination', folder, '--json'],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const [tarball] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const consumer = join(folder, 'consumer');
    const { packageJson, lockfile } = lockedProject(
      'consumer',
      Object.keys(eventsPackage.dependencies),
      'package-lock.json',
    );
    await run('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify(packageJson, null, 2));
    writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lockfile, null, 2));
    writeFileSync(join(consumer, 'consumer.mjs'), CONSUMER);

    // Act
    await run(
      NPM,
      ['install', '--offline', '--no-audit', '--no-fund', join(folder, tarball?.filename ?? '')],
      { cwd: consumer, timeout: 120_000 },
    );
    const { stdout } = await run(process.execPath, ['consumer.mjs'], {
      cwd: consumer,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder, EVENTS_URL: local.eventsUrl },
      timeout: 30_000,
    });
    await local.drain();
    const { from, to } = dayRangeAround(Date.now());
    const { body } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/npm-consumer/metrics?granularity=day&from=${from}&to=${to}`,
    );

    // Assess
    const files = tarball?.files.map((file) => file.path) ?? [];
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/recorder/index.js',
        'dist/recorder/index.d.ts',
        'dist/contract.js',
        'dist/otel/index.js',
        'schemas/ai.workflow.usage.schema.json',
      ]),
    );
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(JSON.parse(stdout)).toEqual({
      flushed: { sent: 2, dropped: 0, pending: 0 },
      maxEntries: 10,
      schemaTitle: 'ai.workflow.usage',
      refusedCode: 'unsupported_schema_version',
    });
    expect(body.totals).toMatchObject({
      usageEvents: 1,
      inputTokens: 640,
      outputTokens: 90,
      succeeded: 1,
      valueUsd: 2.5,
    });
  }, 240_000); // a TypeScript build and an npm install: minutes on a loaded machine

  it('the TypeScript example imports the package by name from its sources through tsx and sends a run that is counted', async () => {
    // Act: as documented, with the source condition and local mode's endpoint in the environment
    const { stdout } = await run(
      'node_modules/.bin/tsx',
      ['--conditions=@yardstick/source', 'events/examples/typescript/record-run.ts', 'ts-example'],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: folder,
          AWS_ENDPOINT_URL: local.eventsUrl,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
    );
    await local.drain();
    const { from, to } = dayRangeAround(Date.now());
    const { body } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/ts-example/metrics?granularity=day&from=${from}&to=${to}`,
    );

    // Assess
    expect(JSON.parse(stdout)).toMatchObject({ sent: 2, dropped: 0, pending: 0 });
    expect(body.totals).toMatchObject({ usageEvents: 1, inputTokens: 1200, succeeded: 1, valueUsd: 4 });
  }, 90_000);
});
