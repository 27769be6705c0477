import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPseudonymizer } from '../../events/recorder/pseudonymize.ts';
import { dayRangeAround, getJson, startTestLocalMode } from '../support/local-mode.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's python with python3-boto3, not a pyenv shim
const AWS_CLI = '/usr/bin/aws'; // the AWS CLI v2 from Debian's awscli, not a v1 on PATH
const SALT = 'producers-test-salt-0123456789';

/** Credentials and region for the local endpoint, which accepts any; no user config is read. */
const awsEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
  ...extra,
});

describe('producers in other languages, against the local endpoint', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  const metrics = async (workflowId: string) => {
    const { from, to } = dayRangeAround(Date.now());
    const { body } = await getJson<{ totals: Record<string, unknown> }>(
      `${local.apiUrl}/workflows/${workflowId}/metrics?granularity=day&from=${from}&to=${to}`,
    );
    return body.totals;
  };

  beforeAll(async () => {
    local = await startTestLocalMode();
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it('the boto3 example sends a run that Yardstick counts, with ids pseudonymised exactly as the TypeScript recorder does', async () => {
    // Prepare
    const hasBoto3 = await run(PYTHON, ['-c', 'import boto3']).then(
      () => true,
      () => false,
    );
    expect(hasBoto3, 'boto3 is missing: apt-get install -y python3-boto3').toBe(true);

    // Act
    const { stdout } = await run(
      PYTHON,
      [
        'events/examples/python/send_event.py',
        '--workflow-id',
        'python-producer',
        '--source',
        'acme.python',
        '--endpoint-url',
        local.eventsUrl,
        '--input-tokens',
        '1500',
        '--output-tokens',
        '250',
        '--value-usd',
        '7.5',
      ],
      { env: awsEnv({ YARDSTICK_ID_SALT: SALT }), timeout: 20_000 },
    );
    await local.drain();
    const totals = await metrics('python-producer');
    const { from, to } = dayRangeAround(Date.now());
    const { body: audit } = await getJson<{ overrides: Array<Record<string, unknown>> }>(
      `${local.apiUrl}/workflows/python-producer/overrides?from=${from}&to=${to}`,
    );

    // Assess
    expect(JSON.parse(stdout)).toMatchObject({ sent: 3, failed: [] });
    expect(totals).toMatchObject({
      usageEvents: 1,
      inputTokens: 1500,
      outputTokens: 250,
      succeeded: 1,
      valueUsd: 7.5,
      edited: 1,
      activeUsers: 1,
    });
    expect(audit.overrides).toHaveLength(1);
    expect(audit.overrides[0]?.reviewerId).toBe(createPseudonymizer(SALT)('reviewer-7'));
  });

  it('the AWS CLI example sends a run that Yardstick counts, and re-sending it by its run id later is a duplicate, not a conflict', async () => {
    // Prepare
    const env = awsEnv({ AWS_CLI, ENDPOINT_URL: local.eventsUrl });
    const script = 'events/examples/cli/put-events.sh';
    const first = await run('bash', [script, 'cli-producer', 'acme.cli'], { env, timeout: 20_000 });
    const runId = /^run (\S+) /m.exec(first.stderr)?.[1] ?? '';
    // The re-send's clock is past the first send's second, as on any later re-send: the instant
    // must come from the run id, not from `date`.
    const firstSecond = /occurredAt (\S+)/.exec(first.stderr)?.[1] ?? '';
    await expect.poll(() => new Date().toISOString().slice(0, 19) > firstSecond.slice(0, 19)).toBe(true);

    // Act
    const resend = await run('bash', [script, 'cli-producer', 'acme.cli'], {
      env: { ...env, RUN_ID: runId },
      timeout: 20_000,
    });
    await local.drain();
    const totals = await metrics('cli-producer');
    const { body } = await getJson<{ conflicts: unknown[] }>(
      `${local.apiUrl}/workflows/cli-producer/conflicts`,
    );

    // Assess
    expect(runId).toMatch(/^cli-\d{8}T\d{6}Z-/);
    expect(JSON.parse(first.stdout)).toMatchObject({ FailedEntryCount: 0 });
    expect(JSON.parse(resend.stdout)).toMatchObject({ FailedEntryCount: 0 });
    expect(totals).toMatchObject({
      usageEvents: 1,
      inputTokens: 1200,
      outputTokens: 300,
      succeeded: 1,
      valueUsd: 4,
    });
    expect(body.conflicts).toEqual([]);
  });

  it("the README's put-events command, sent twice a second or more apart, counts once with no conflict", async () => {
    // Prepare: the README's block, pointed at this test's endpoints, with its put-events command repeated
    const block =
      readFileSync('README.md', 'utf8')
        .split('```')
        .find((part) => part.includes('aws events put-events --endpoint-url http://127.0.0.1:4010')) ?? '';
    const command = /aws events put-events[\s\S]*?\}\]'/.exec(block)?.[0] ?? '';
    // The re-send comes in a later second, as a user's would: a fresh `date` there would be a conflict.
    const nextSecond = 't0=$(date +%s); while [ "$(date +%s)" = "$t0" ]; do :; done';
    const script = [block.replace(/^sh\n/, ''), nextSecond, command]
      .join('\n')
      .replaceAll('http://127.0.0.1:4010', local.eventsUrl)
      .replaceAll('http://127.0.0.1:4000', local.apiUrl);

    // Act
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      env: { PATH: '/usr/bin:/bin', HOME: mkdtempSync(join(tmpdir(), 'readme-')), AWS_PAGER: '' },
      timeout: 30_000,
    });
    await local.drain();
    const totals = await metrics('my-bot');
    const { body } = await getJson<{ conflicts: unknown[] }>(`${local.apiUrl}/workflows/my-bot/conflicts`);

    // Assess
    expect(command).toContain('my-first-event');
    expect(stdout.match(/"FailedEntryCount": 0/g)).toHaveLength(2);
    expect(totals).toMatchObject({ succeeded: 1, valueUsd: 3.5 });
    expect(body.conflicts).toEqual([]);
  });

  it('the boto3 example works from its documented local command in a shell with no AWS configuration', async () => {
    // Prepare: no AWS_* variables and a HOME without ~/.aws, as on a fresh machine
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: mkdtempSync(join(tmpdir(), 'no-aws-')) };

    // Act
    const { stdout } = await run(
      PYTHON,
      [
        'events/examples/python/send_event.py',
        '--workflow-id',
        'python-clean-env',
        '--endpoint-url',
        local.eventsUrl,
      ],
      { env, timeout: 20_000 },
    );
    await local.drain();
    const totals = await metrics('python-clean-env');

    // Assess
    expect(JSON.parse(stdout)).toMatchObject({ sent: 3, failed: [] });
    expect(totals).toMatchObject({ usageEvents: 1, succeeded: 1 });
  });
});
