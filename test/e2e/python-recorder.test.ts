import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DETAIL_TYPES,
  defaultTimeWindow,
  EventTimeRules,
  looksLikePii,
  renderJsonSchemas,
  validateEvent,
} from '@yardstick/events/contract';
import {
  assignVariant,
  createPseudonymizer,
  MIN_SALT_BYTES,
  PutEventsLimits,
  RecorderDefaults,
  RetryDefaults,
  type VariantWeights,
} from '@yardstick/events/recorder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayRangeAround, getJson, startTestLocalMode } from '../support/local-mode.ts';

const exec = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's python with python3-boto3, not a pyenv shim
const PACKAGE_DIR = 'recorders/python';
const SHIPPED_SCHEMAS = `${PACKAGE_DIR}/yardstick_recorder/schemas`;

/** Runs Python code with the package importable and no AWS configuration; stdin is JSON. */
const python = async (code: string, input: unknown = null, env: Record<string, string> = {}) => {
  const child = execFile(PYTHON, ['-c', code], {
    env: {
      PATH: '/usr/bin:/bin',
      HOME: '/tmp',
      PYTHONPATH: PACKAGE_DIR,
      PYTHONDONTWRITEBYTECODE: '1',
      ...env,
    },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  child.stdin?.end(JSON.stringify(input));
  const stdout = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`python exited ${code}: ${err}`)),
    );
  });
  return JSON.parse(stdout) as unknown;
};

const metricsOf = async (apiUrl: string, workflowId: string) => {
  const { from, to } = dayRangeAround(Date.now());
  const { body } = await getJson<{ totals: Record<string, unknown> }>(
    `${apiUrl}/workflows/${workflowId}/metrics?granularity=day&from=${from}&to=${to}`,
  );
  return body.totals;
};

describe('the Python recorder package', () => {
  it('ships JSON Schemas equal to the ones generated from the zod contract', () => {
    // Act
    const generated = renderJsonSchemas();
    const shipped = Object.fromEntries(
      readdirSync(SHIPPED_SCHEMAS).map((file) => [file, readFileSync(`${SHIPPED_SCHEMAS}/${file}`, 'utf8')]),
    );

    // Assess
    expect(Object.keys(shipped).sort()).toEqual(DETAIL_TYPES.map((type) => `${type}.schema.json`).sort());
    expect(shipped).toEqual(generated);
  });

  it("passes its own unittest suite with Debian's python3 and boto3", async () => {
    // Act
    const { stderr } = await exec(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: PACKAGE_DIR,
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 120_000,
    });

    // Assess
    const ran = Number(/^Ran (\d+) tests?/m.exec(stderr)?.[1] ?? 0);
    expect(ran).toBeGreaterThanOrEqual(20);
    expect(stderr).toMatch(/^OK$/m);
  }, 300_000);

  it('builds as a wheel that ships the schemas, and works installed from it', async () => {
    // Prepare: a copy, so the build leaves nothing in the checkout
    const work = mkdtempSync(join(tmpdir(), 'yardstick-wheel-'));
    cpSync(PACKAGE_DIR, join(work, 'src'), { recursive: true });
    const env = { PATH: '/usr/bin:/bin', HOME: work, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_INDEX: '1' };

    // Act
    await exec(PYTHON, ['-m', 'pip', 'wheel', '--no-build-isolation', '--no-deps', '-w', 'dist', './src'], {
      cwd: work,
      env,
      timeout: 120_000,
    });
    const wheel = readdirSync(join(work, 'dist')).find((file) => file.endsWith('.whl')) ?? '';
    await exec(PYTHON, ['-m', 'pip', 'install', '--no-deps', '--target', 'site', `dist/${wheel}`], {
      cwd: work,
      env,
      timeout: 120_000,
    });
    const installed = await python(
      `
import json, yardstick_recorder
print(json.dumps({"at": yardstick_recorder.__file__, "schemas": sorted(yardstick_recorder.load_schemas())}))`,
      null,
      { PYTHONPATH: join(work, 'site') },
    );
    rmSync(work, { recursive: true, force: true });

    // Assess
    expect(wheel).toMatch(/^yardstick_recorder-0\.1\.0-py3-none-any\.whl$/);
    expect(installed).toEqual({
      at: join(work, 'site', 'yardstick_recorder', '__init__.py'),
      schemas: [...DETAIL_TYPES].sort(),
    });
  }, 300_000); // two pip runs: seconds alone, more on a loaded machine

  it('keeps the limits and defaults of the TypeScript recorder and contract', async () => {
    // Act
    const constants = await python(`
import json
from yardstick_recorder import DEFAULTS, MAX_BYTES, MAX_ENTRIES, MIN_SALT_BYTES, contract
print(json.dumps({**DEFAULTS, "maxEntries": MAX_ENTRIES, "maxBytes": MAX_BYTES, "minSaltBytes": MIN_SALT_BYTES,
                  "latenessDays": contract.LATENESS_DAYS, "futureSkewMs": contract.FUTURE_SKEW_MS}))`);

    // Assess
    expect(constants).toEqual({
      event_bus_name: RecorderDefaults.eventBusName,
      max_buffered_events: RecorderDefaults.maxBufferedEvents,
      flush_interval: RecorderDefaults.flushIntervalMs / 1000,
      flush_timeout: RecorderDefaults.flushTimeoutMs / 1000,
      max_attempts: RetryDefaults.maxAttempts,
      base_delay: RetryDefaults.baseDelayMs / 1000,
      max_delay: RetryDefaults.maxDelayMs / 1000,
      maxEntries: PutEventsLimits.maxEntries,
      maxBytes: PutEventsLimits.maxBytes,
      minSaltBytes: MIN_SALT_BYTES,
      latenessDays: EventTimeRules.latenessDays,
      futureSkewMs: EventTimeRules.futureSkewMs,
    });
  });

  it('gives the same pseudonyms, variant assignments and personal-data verdicts as the TypeScript recorder', async () => {
    // Prepare
    const salt = 'parity-salt-0123456789abcdef';
    const ids = ['user-1', 'jane.doe@example.com', 'Zoë ☕', '\u{1F600}', 'reviewer-7', ' '];
    const runIds = [...Array.from({ length: 300 }, (_, i) => `run-${i}`), 'ünïcode-run', '\u{1F600}-run'];
    const weightSets: VariantWeights[] = [
      { ai: 0.95, human: 0.05 },
      { a: 1, b: 2, c: 3.5 },
      { x: 0.1, y: 0.2, z: 0.3 },
    ];
    const doc = readFileSync('docs/contract.md', 'utf8');
    const table = doc.slice(doc.indexOf('<!-- pii-cases:start -->'), doc.indexOf('<!-- pii-cases:end -->'));
    const piiValues = [
      ...[...table.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1] ?? ''),
      'a@b.cd',
      'x@\u{1F600}.com',
      'user@домен.рф',
      'ab@cd.e1',
      'foo@bar.c-',
      'john\uFEFF@example.com',
      '%E0%A4%A',
      '%25%34%30x@example.com',
      '+1 (555) 123-4567',
      '٠١٢٣٤٥٦٧٨٩',
      '٠١٢-٣٤٥-٦٧٨٩',
      '12 34 56 78',
      'tel:1234567',
      '+12345678901234567',
      '1.2.3.4.5.6.7',
      '2024-11-23',
      '\u00A0+44 20 7946 0958\u00A0',
      'TEL: 555 123 4567 EXT. 9',
    ];

    // Act
    const fromPython = (await python(
      `
import json, sys
from yardstick_recorder import assign_variant, create_pseudonymizer, looks_like_pii
given = json.load(sys.stdin)
pseudonymize = create_pseudonymizer(given["salt"])
print(json.dumps({
    "pseudonyms": [pseudonymize(i) for i in given["ids"]],
    "variants": [[assign_variant(r, w) for r in given["runIds"]] for w in given["weightSets"]],
    "pii": [looks_like_pii(v) for v in given["piiValues"]],
}))`,
      { salt, ids, runIds, weightSets, piiValues },
    )) as { pseudonyms: string[]; variants: string[][]; pii: boolean[] };

    // Assess
    const pseudonymize = createPseudonymizer(salt);
    expect(fromPython.pseudonyms).toEqual(ids.map(pseudonymize));
    expect(fromPython.variants).toEqual(weightSets.map((w) => runIds.map((r) => assignVariant(r, w))));
    expect(new Set(fromPython.variants[1])).toEqual(new Set(['a', 'b', 'c']));
    expect(fromPython.pii).toEqual(piiValues.map(looksLikePii));
    expect(fromPython.pii.filter(Boolean).length).toBeGreaterThan(10);
  });

  it('accepts and refuses the same events as the TypeScript contract, with the same code, field and cleaned detail', async () => {
    // Prepare
    const nowMs = Date.parse('2026-11-23T12:00:00.000Z');
    const usage = {
      schemaVersion: 1,
      eventId: 'evt-1',
      workflowId: 'invoice-bot',
      occurredAt: '2026-11-23T11:00:00Z',
      model: 'gpt-4o-mini',
      inputTokens: 10,
      outputTokens: 2,
      latencyMs: 5,
    };
    const outcome = { ...usage, model: undefined, status: 'succeeded' };
    const override = { ...usage, model: undefined, decision: 'edited' };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['ai.workflow.usage', usage],
      ['ai.workflow.usage', { ...usage, occurredAt: '2026-11-23T11:00:00.123400Z', extra: 1 }],
      ['ai.workflow.usage', { ...usage, schemaVersion: 2 }],
      ['ai.workflow.usage', { ...usage, inputTokens: -1 }],
      ['ai.workflow.usage', { ...usage, inputTokens: 1.5 }],
      ['ai.workflow.usage', { ...usage, inputTokens: '10' }],
      ['ai.workflow.usage', { ...usage, inputTokens: true }],
      ['ai.workflow.usage', { ...usage, inputTokens: null }],
      ['ai.workflow.usage', { ...usage, inputTokens: 1_000_000_001 }],
      ['ai.workflow.usage', { ...usage, costUsd: 1_000_001 }],
      ['ai.workflow.usage', { ...usage, latencyMs: undefined }],
      ['ai.workflow.usage', { ...usage, workflowId: 'Invoice' }],
      ['ai.workflow.usage', { ...usage, workflowId: 'invoice\n' }],
      ['ai.workflow.usage', { ...usage, eventId: 'evt 1' }],
      ['ai.workflow.usage', { ...usage, model: 'x'.repeat(129) }],
      ['ai.workflow.usage', { ...usage, model: '\u{1F600}'.repeat(64) }],
      ['ai.workflow.usage', { ...usage, userId: 'alice@example.com' }],
      ['ai.workflow.usage', { ...usage, variant: 'Prompt-V2' }],
      ['ai.workflow.usage', { ...usage, traceparent: '00-abc-def-01' }],
      ['ai.workflow.usage', { ...usage, occurredAt: '2026-02-30T00:00:00Z' }],
      ['ai.workflow.usage', { ...usage, occurredAt: '2026-11-23T11:00:00+01:00' }],
      ['ai.workflow.usage', { ...usage, occurredAt: '2026-11-23T12:05:01Z' }],
      ['ai.workflow.usage', { ...usage, occurredAt: '2026-10-18T11:59:59Z' }],
      ['ai.workflow.outcome', { ...outcome, valueUsd: 4, durationMs: 1200 }],
      ['ai.workflow.outcome', { ...outcome, status: 'won' }],
      ['ai.workflow.outcome', { ...outcome, qualityScore: 1_000_001 }],
      ['ai.workflow.override', { ...override, reviewerId: '+1-202-555-0143', reasonCode: 'tone' }],
      ['ai.workflow.override', { ...override, reasonCode: 'Tone' }],
      ['ai.workflow.override', { ...override, decision: 'Edited' }],
    ];
    const details = cases.map(([detailType, detail]) => [detailType, JSON.parse(JSON.stringify(detail))]);

    // Act
    const fromPython = (await python(
      `
import json, sys
from yardstick_recorder import contract
given = json.load(sys.stdin)
schemas = contract.load_schemas()
verdicts = []
for detail_type, detail in given["cases"]:
    cleaned, rejection = contract.validate_detail(detail_type, detail, schemas, given["nowMs"])
    verdicts.append({"ok": True, "detail": cleaned} if cleaned is not None
                    else {"ok": False, "code": rejection.code, "field": rejection.field})
print(json.dumps(verdicts))`,
      { cases: details, nowMs },
    )) as unknown[];

    // Assess
    const fromTypeScript = details.map(([detailType, detail]) => {
      const result = validateEvent({ detailType, source: 'acme.test', detail }, defaultTimeWindow(nowMs));
      return result.ok
        ? { ok: true, detail: result.event.detail }
        : { ok: false, code: result.rejection.code, field: result.rejection.field ?? null };
    });
    expect(fromPython).toEqual(fromTypeScript);
    expect(fromTypeScript.filter((verdict) => verdict.ok)).toHaveLength(4);
  });
});

describe('the Python recorder against local mode', () => {
  let local: Awaited<ReturnType<typeof startTestLocalMode>>;
  const attemptsByEventId = new Map<string, number>();

  beforeAll(async () => {
    local = await startTestLocalMode({
      // Every event of workflow py-retries fails its first attempt when its eventId ends in an even digit.
      injectEntryFailure: (entry) => {
        const detail = JSON.parse(typeof entry.Detail === 'string' ? entry.Detail : '{}') as {
          workflowId?: string;
          eventId?: string;
        };
        if (detail.workflowId !== 'py-retries' || !detail.eventId) return undefined;
        const attempts = (attemptsByEventId.get(detail.eventId) ?? 0) + 1;
        attemptsByEventId.set(detail.eventId, attempts);
        return attempts === 1 && /[02468]$/.test(detail.eventId)
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'injected' }
          : undefined;
      },
    });
  });
  afterAll(async () => {
    await local.stop();
    await local.dropTable();
  });

  it("docs/instrument.md's smallest Python example sends a run that Yardstick counts", async () => {
    // Prepare: the documented block, pointed at this test's endpoint
    const doc = readFileSync('docs/instrument.md', 'utf8');
    const block = /```python\n(from yardstick_recorder import Recorder[\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const code = `${block.replaceAll('http://127.0.0.1:4010', local.eventsUrl)}\nimport json\nprint(json.dumps(recorder.stats()))`;

    // Act
    const stats = await python(code);
    await local.drain();
    const totals = await metricsOf(local.apiUrl, 'invoice-triage');

    // Assess
    expect(block).toContain('recorder.close()');
    expect(stats).toMatchObject({ accepted: 2, sent: 2, refused: 0, dropped: 0, buffered: 0 });
    expect(totals).toMatchObject({
      usageEvents: 1,
      inputTokens: 1200,
      outputTokens: 300,
      succeeded: 1,
      valueUsd: 4,
    });
  });

  it('re-sends only the entries EventBridge failed, so 40 events are counted once each', async () => {
    // Act
    const stats = (await python(
      `
import json
from yardstick_recorder import Recorder
recorder = Recorder(workflow_id="py-retries", source="acme.python", endpoint_url="${local.eventsUrl}",
                    base_delay=0.01, max_delay=0.05, on_error=lambda error: None)
for n in range(40):
    recorder.outcome(status="succeeded", value_usd=1, event_id=f"py-retry-{n}")
recorder.close()
print(json.dumps(recorder.stats()))`,
    )) as Record<string, number>;
    await local.drain();
    const totals = await metricsOf(local.apiUrl, 'py-retries');

    // Assess: 20 failed once and were sent twice, the other 20 once
    const attempts = [...attemptsByEventId.values()];
    expect(attempts).toHaveLength(40);
    expect(attempts.filter((n) => n === 2)).toHaveLength(20);
    expect(attempts.filter((n) => n === 1)).toHaveLength(20);
    expect(stats).toMatchObject({ accepted: 40, sent: 40, retried: 20, dropped: 0 });
    expect(totals).toMatchObject({ succeeded: 40, valueUsd: 40 });
  });
});
