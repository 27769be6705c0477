import { describe, expect, it } from 'vitest';
import { DetailType, type DetailTypeName } from '../../events/detail-types.ts';
import { OutcomeDetailSchema, OverrideDetailSchema, UsageDetailSchema } from '../../events/schemas.ts';
import {
  defaultTimeWindow,
  type Rejection,
  RejectionCode,
  type TimeWindow,
  type ValidationResult,
  validateEvent,
} from '../../events/validate.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const NOW_ISO = '2026-11-23T12:00:00.000Z';
const NOW_MS = Date.parse(NOW_ISO);
const WINDOW = defaultTimeWindow(NOW_MS);
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

type Detail = Record<string, unknown>;

const common = (): Detail => ({
  schemaVersion: 1,
  eventId: 'evt-0001',
  workflowId: 'invoice-bot',
  occurredAt: '2026-11-23T11:00:00.000Z',
});

const SAMPLES: Record<DetailTypeName, () => Detail> = {
  [DetailType.usage]: () => ({
    ...common(),
    model: 'claude-sonnet-4',
    inputTokens: 1200,
    outputTokens: 300,
    latencyMs: 850,
  }),
  [DetailType.outcome]: () => ({ ...common(), status: 'succeeded' }),
  [DetailType.override]: () => ({ ...common(), decision: 'edited' }),
};

/** A valid detail of `kind` with `patch` applied; a patch value of `undefined` removes the field. */
const detailOf = (kind: DetailTypeName, patch: Detail = {}): Detail => {
  const detail: Detail = { ...SAMPLES[kind](), ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete detail[key];
  return detail;
};

const validate = (kind: unknown, detail: unknown, window: TimeWindow = WINDOW): ValidationResult =>
  validateEvent({ detailType: kind, source: 'acme.invoice-bot', detail }, window);

const rejectionOf = (result: ValidationResult): Rejection => {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result.rejection;
};

const acceptedDetail = (result: ValidationResult): Detail => {
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.rejection)}`);
  return result.event.detail as Detail;
};

const ALL_KINDS = [DetailType.usage, DetailType.outcome, DetailType.override] as const;

describe('validateEvent: accepted events', () => {
  it.each(ALL_KINDS)('accepts a minimal valid %s event and tags it with its kind and source', (kind) => {
    // Prepare
    const detail = detailOf(kind);

    // Act
    const result = validate(kind, detail);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.kind).toBe(kind);
    expect(result.event.source).toBe('acme.invoice-bot');
    expect(result.event.detail).toEqual(detail);
  });

  it('keeps every optional field of the contract when all are present', () => {
    // Prepare
    const detail = detailOf(DetailType.usage, {
      runId: 'run-42',
      userId: 'u_8f3a9b2c',
      traceparent: TRACEPARENT,
      provider: 'anthropic',
      cachedInputTokens: 64,
      costUsd: 0.0123,
    });

    // Act
    const parsed = acceptedDetail(validate(DetailType.usage, detail));

    // Assess
    expect(parsed).toEqual(detail);
  });
});

describe('validateEvent: unknown fields and detail types', () => {
  it.each(ALL_KINDS)('drops fields outside the contract from a %s detail, never storing them', (kind) => {
    // Prepare
    const detail = detailOf(kind, {
      prompt: 'Summarise the invoice of ACME Ltd',
      completion: 'The invoice totals $1,234',
      email: 'alice@example.com',
      nested: { secret: true },
    });

    // Act
    const parsed = acceptedDetail(validate(kind, detail));

    // Assess
    expect(parsed).toEqual(SAMPLES[kind]());
    expect(Object.keys(parsed)).not.toContain('prompt');
    expect(Object.keys(parsed)).not.toContain('completion');
    expect(Object.keys(parsed)).not.toContain('email');
    expect(Object.keys(parsed)).not.toContain('nested');
  });

  it.each([
    ['an unknown ai.workflow type', 'ai.workflow.feedback'],
    ['a differently cased known type', 'AI.WORKFLOW.USAGE'],
    ['an empty string', ''],
    ['a missing detail type', undefined],
    ['a number', 42],
  ])('rejects %s as unknown_detail_type', (_name, detailType) => {
    // Prepare
    const detail = detailOf(DetailType.usage);

    // Act
    const rejection = rejectionOf(validate(detailType, detail));

    // Assess
    expect(rejection.code).toBe(RejectionCode.unknownDetailType);
    expect(rejection.code).toBe('unknown_detail_type');
    expect(rejection.message).toContain('ai.workflow.usage');
  });

  it.each([
    ['null', null],
    ['a string', 'not an object'],
    ['an array', [1, 2]],
  ])('rejects a detail that is %s', (_name, detail) => {
    // Act
    const result = validate(DetailType.outcome, detail);

    // Assess
    expect(result.ok).toBe(false);
  });
});

describe('validateEvent: common fields', () => {
  it.each([
    ['version 2', 2],
    ['version 0', 0],
    ['the string "1"', '1'],
    ['version 1.5', 1.5],
    ['no version at all', undefined],
  ])('rejects schemaVersion %s with unsupported_schema_version', (_name, schemaVersion) => {
    // Prepare
    const detail = detailOf(DetailType.usage, { schemaVersion });

    // Act
    const rejection = rejectionOf(validate(DetailType.usage, detail));

    // Assess
    expect(rejection.code).toBe(RejectionCode.unsupportedSchemaVersion);
    expect(rejection.code).toBe('unsupported_schema_version');
    expect(rejection.field).toBe('schemaVersion');
    expect(rejection.message).toContain('schemaVersion');
  });

  it.each(ALL_KINDS)('applies the schemaVersion rule to %s events too', (kind) => {
    // Act
    const rejection = rejectionOf(validate(kind, detailOf(kind, { schemaVersion: 2 })));

    // Assess
    expect(rejection.code).toBe('unsupported_schema_version');
  });

  // `parsed`: what validation makes of an accepted value, when that is not the value itself.
  const fieldCases: Array<{ field: string; value: unknown; valid: boolean; why: string; parsed?: unknown }> =
    [
      { field: 'eventId', value: 'a', valid: true, why: 'one character' },
      { field: 'eventId', value: 'x'.repeat(128), valid: true, why: '128 characters' },
      { field: 'eventId', value: 'Run-1.step_2:retry-3', valid: true, why: 'every allowed punctuation' },
      { field: 'eventId', value: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', valid: true, why: 'a UUID' },
      { field: 'eventId', value: '', valid: false, why: 'empty' },
      { field: 'eventId', value: 'x'.repeat(129), valid: false, why: '129 characters' },
      { field: 'eventId', value: 'evt 1', valid: false, why: 'a space' },
      { field: 'eventId', value: 'evt/1', valid: false, why: 'a slash' },
      { field: 'eventId', value: 'evt#1', valid: false, why: 'a hash' },
      { field: 'eventId', value: 'évt-1', valid: false, why: 'a non-ASCII letter' },
      { field: 'eventId', value: 17, valid: false, why: 'a number' },
      { field: 'eventId', value: undefined, valid: false, why: 'missing' },
      { field: 'workflowId', value: 'a', valid: true, why: 'one character' },
      { field: 'workflowId', value: 'w'.repeat(64), valid: true, why: '64 characters' },
      { field: 'workflowId', value: '0day.triage_v2-eu', valid: true, why: 'digits first and . _ -' },
      { field: 'workflowId', value: '', valid: false, why: 'empty' },
      { field: 'workflowId', value: 'w'.repeat(65), valid: false, why: '65 characters' },
      { field: 'workflowId', value: 'Invoice-bot', valid: false, why: 'upper case' },
      { field: 'workflowId', value: '-bot', valid: false, why: 'a leading dash' },
      { field: 'workflowId', value: '.bot', valid: false, why: 'a leading dot' },
      { field: 'workflowId', value: '_bot', valid: false, why: 'a leading underscore' },
      { field: 'workflowId', value: 'invoice bot', valid: false, why: 'a space' },
      { field: 'workflowId', value: 'invoice:bot', valid: false, why: 'a colon' },
      { field: 'workflowId', value: 'invoice/bot', valid: false, why: 'a slash' },
      { field: 'workflowId', value: undefined, valid: false, why: 'missing' },
      { field: 'runId', value: 'r', valid: true, why: 'one character' },
      { field: 'runId', value: 'r'.repeat(128), valid: true, why: '128 characters' },
      { field: 'runId', value: '', valid: false, why: 'empty' },
      { field: 'runId', value: 'r'.repeat(129), valid: false, why: '129 characters' },
      { field: 'runId', value: 42, valid: false, why: 'a number' },
      {
        field: 'occurredAt',
        value: '2026-11-23T11:00:00Z',
        valid: true,
        why: 'seconds and Z',
        parsed: '2026-11-23T11:00:00.000Z',
      },
      { field: 'occurredAt', value: '2026-11-23T11:00:00.123Z', valid: true, why: 'milliseconds and Z' },
      { field: 'occurredAt', value: '2026-11-23T11:00:00', valid: false, why: 'local time without zone' },
      { field: 'occurredAt', value: '2026-11-23T12:00:00+01:00', valid: false, why: 'a non-UTC offset' },
      { field: 'occurredAt', value: '2026-11-23', valid: false, why: 'a date without time' },
      { field: 'occurredAt', value: '2026-02-30T10:00:00Z', valid: false, why: 'a day that does not exist' },
      { field: 'occurredAt', value: '2026-11-23 11:00:00Z', valid: false, why: 'a space for T' },
      { field: 'occurredAt', value: '23/11/2026 11:00', valid: false, why: 'a local date format' },
      { field: 'occurredAt', value: 'yesterday', valid: false, why: 'garbage' },
      { field: 'occurredAt', value: NOW_MS, valid: false, why: 'epoch milliseconds' },
      { field: 'occurredAt', value: undefined, valid: false, why: 'missing' },
      { field: 'traceparent', value: TRACEPARENT, valid: true, why: 'the W3C example' },
      { field: 'traceparent', value: TRACEPARENT.toUpperCase(), valid: false, why: 'upper-case hex' },
      {
        field: 'traceparent',
        value: '00-4bf92f3577b34da6a3ce929d0e0e4736-01',
        valid: false,
        why: 'no span id',
      },
      {
        field: 'traceparent',
        value: '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
        valid: false,
        why: 'a 31-digit trace id',
      },
      { field: 'traceparent', value: 'not-a-traceparent', valid: false, why: 'garbage' },
    ];

  it.each(fieldCases.filter((c) => c.valid))('accepts $field with $why', ({ field, value, ...c }) => {
    // Act
    const parsed = acceptedDetail(validate(DetailType.usage, detailOf(DetailType.usage, { [field]: value })));

    // Assess
    expect(parsed[field]).toEqual('parsed' in c ? c.parsed : value);
  });

  it.each(fieldCases.filter((c) => !c.valid))(
    'rejects $field with $why as invalid_field naming the field',
    ({ field, value }) => {
      // Act
      const rejection = rejectionOf(
        validate(DetailType.usage, detailOf(DetailType.usage, { [field]: value })),
      );

      // Assess
      expect(rejection.code).toBe(RejectionCode.invalidField);
      expect(rejection.field).toBe(field);
      expect(rejection.message).toContain(field);
    },
  );

  it.each(ALL_KINDS)('applies the workflowId rule to %s events too', (kind) => {
    // Act
    const rejection = rejectionOf(validate(kind, detailOf(kind, { workflowId: 'Not Valid' })));

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field: 'workflowId' });
  });
});

describe('validateEvent: pseudonymous ids', () => {
  const pii = [
    'alice@example.com',
    'Alice.Smith+ai@corp.example.co.uk',
    'BOB@EXAMPLE.ORG',
    '+44 20 7946 0958',
    '+1-202-555-0143',
    '(555) 123-4567',
    '555.123.4567',
    '+4915112345678',
  ];
  const pseudonymous = [
    'u_8f3a9b2c',
    'user-7f9c2e',
    '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'employee:4711',
    'reviewer.team-a.17',
  ];

  it.each(pii)('rejects userId %s as pii_suspected', (userId) => {
    // Act
    const rejection = rejectionOf(validate(DetailType.usage, detailOf(DetailType.usage, { userId })));

    // Assess
    expect(rejection.code).toBe(RejectionCode.piiSuspected);
    expect(rejection.code).toBe('pii_suspected');
    expect(rejection.field).toBe('userId');
  });

  it.each(pii)('rejects reviewerId %s as pii_suspected', (reviewerId) => {
    // Act
    const rejection = rejectionOf(
      validate(DetailType.override, detailOf(DetailType.override, { reviewerId })),
    );

    // Assess
    expect(rejection.code).toBe('pii_suspected');
    expect(rejection.field).toBe('reviewerId');
  });

  it.each(pseudonymous)('accepts the pseudonymous userId and reviewerId %s', (id) => {
    // Act
    const usage = acceptedDetail(validate(DetailType.usage, detailOf(DetailType.usage, { userId: id })));
    const override = acceptedDetail(
      validate(DetailType.override, detailOf(DetailType.override, { reviewerId: id })),
    );

    // Assess
    expect(usage.userId).toBe(id);
    expect(override.reviewerId).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'u'.repeat(129)],
  ])('rejects a userId that is %s as invalid_field, not as PII', (_name, userId) => {
    // Act
    const rejection = rejectionOf(validate(DetailType.outcome, detailOf(DetailType.outcome, { userId })));

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field: 'userId' });
  });
});

describe('validateEvent: ai.workflow.usage fields', () => {
  const integerFields = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'latencyMs'] as const;
  const badIntegers: Array<[string, unknown]> = [
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a numeric string', '10'],
    ['null', null],
  ];

  it.each(integerFields.flatMap((field) => badIntegers.map(([why, value]) => ({ field, why, value }))))(
    'rejects $field that is $why',
    ({ field, value }) => {
      // Act
      const rejection = rejectionOf(
        validate(DetailType.usage, detailOf(DetailType.usage, { [field]: value })),
      );

      // Assess
      expect(rejection).toMatchObject({ code: 'invalid_field', field });
      expect(rejection.message).toContain(field);
    },
  );

  it.each(integerFields)('accepts %s of zero', (field) => {
    // Act
    const parsed = acceptedDetail(validate(DetailType.usage, detailOf(DetailType.usage, { [field]: 0 })));

    // Assess
    expect(parsed[field]).toBe(0);
  });

  it.each(['inputTokens', 'outputTokens', 'latencyMs', 'model'])('requires %s', (field) => {
    // Act
    const rejection = rejectionOf(
      validate(DetailType.usage, detailOf(DetailType.usage, { [field]: undefined })),
    );

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field });
  });

  it.each([
    ['one character', 'm', true],
    ['128 characters', 'm'.repeat(128), true],
    ['empty', '', false],
    ['129 characters', 'm'.repeat(129), false],
  ])('checks a model name that is %s', (_name, model, valid) => {
    // Act
    const result = validate(DetailType.usage, detailOf(DetailType.usage, { model }));

    // Assess
    expect(result.ok).toBe(valid);
    if (!result.ok) expect(result.rejection.field).toBe('model');
  });

  it.each([
    ['zero', 0],
    ['an embedding call of $0.0000002', 0.0000002],
    ['a large amount', 12_345.67],
  ])('accepts costUsd of %s unchanged', (_name, costUsd) => {
    // Act
    const parsed = acceptedDetail(validate(DetailType.usage, detailOf(DetailType.usage, { costUsd })));

    // Assess
    expect(parsed.costUsd).toBe(costUsd);
  });

  it.each([
    ['negative', -0.01],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a string', '0.10'],
  ])('rejects costUsd that is %s', (_name, costUsd) => {
    // Act
    const rejection = rejectionOf(validate(DetailType.usage, detailOf(DetailType.usage, { costUsd })));

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field: 'costUsd' });
  });
});

describe('validateEvent: ai.workflow.outcome fields', () => {
  it.each(['succeeded', 'failed', 'abandoned'])('accepts status %s', (status) => {
    // Act
    const parsed = acceptedDetail(validate(DetailType.outcome, detailOf(DetailType.outcome, { status })));

    // Assess
    expect(parsed.status).toBe(status);
  });

  it.each([
    ['a synonym', 'success'],
    ['upper case', 'SUCCEEDED'],
    ['missing', undefined],
  ])('rejects status that is %s', (_name, status) => {
    // Act
    const rejection = rejectionOf(validate(DetailType.outcome, detailOf(DetailType.outcome, { status })));

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field: 'status' });
  });

  const cases: Array<{ field: string; value: unknown; valid: boolean }> = [
    { field: 'valueUsd', value: 0, valid: true },
    { field: 'valueUsd', value: 125.5, valid: true },
    { field: 'valueUsd', value: -1, valid: false },
    { field: 'valueUsd', value: Number.NaN, valid: false },
    { field: 'valueUsd', value: Number.POSITIVE_INFINITY, valid: false },
    { field: 'minutesSaved', value: 0, valid: true },
    { field: 'minutesSaved', value: 2.5, valid: true },
    { field: 'minutesSaved', value: -0.5, valid: false },
    { field: 'minutesSaved', value: Number.NaN, valid: false },
    { field: 'qualityScore', value: 0, valid: true },
    { field: 'qualityScore', value: 0.73, valid: true },
    { field: 'qualityScore', value: 1, valid: true },
    { field: 'qualityScore', value: -0.01, valid: false },
    { field: 'qualityScore', value: Number.NaN, valid: false },
    { field: 'durationMs', value: 0, valid: true },
    { field: 'durationMs', value: 93_000, valid: true },
    { field: 'durationMs', value: -1, valid: false },
    { field: 'durationMs', value: 1.5, valid: false },
  ];

  it.each(cases.filter((c) => c.valid))('accepts $field = $value', ({ field, value }) => {
    // Act
    const parsed = acceptedDetail(
      validate(DetailType.outcome, detailOf(DetailType.outcome, { [field]: value })),
    );

    // Assess
    expect(parsed[field]).toBe(value);
  });

  it.each(cases.filter((c) => !c.valid))('rejects $field = $value naming the field', ({ field, value }) => {
    // Act
    const rejection = rejectionOf(
      validate(DetailType.outcome, detailOf(DetailType.outcome, { [field]: value })),
    );

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field });
  });
});

describe('validateEvent: ai.workflow.override fields', () => {
  it.each(['accepted', 'edited', 'rejected', 'escalated'])('accepts decision %s', (decision) => {
    // Act
    const parsed = acceptedDetail(validate(DetailType.override, detailOf(DetailType.override, { decision })));

    // Assess
    expect(parsed.decision).toBe(decision);
  });

  it.each([
    ['a synonym', 'approved'],
    ['upper case', 'Accepted'],
    ['missing', undefined],
  ])('rejects decision that is %s', (_name, decision) => {
    // Act
    const rejection = rejectionOf(validate(DetailType.override, detailOf(DetailType.override, { decision })));

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field: 'decision' });
  });

  it.each([
    ['a single word', 'hallucination', true],
    ['dots, digits, dashes and underscores', 'policy.pii_leak-2', true],
    ['one character', 'x', true],
    ['64 characters', 'r'.repeat(64), true],
    ['empty', '', false],
    ['65 characters', 'r'.repeat(65), false],
    ['upper case', 'Hallucination', false],
    ['a space', 'wrong answer', false],
    ['a slash', 'tone/style', false],
  ])('checks a reasonCode with %s', (_name, reasonCode, valid) => {
    // Act
    const result = validate(DetailType.override, detailOf(DetailType.override, { reasonCode }));

    // Assess
    expect(result.ok).toBe(valid);
    if (result.ok) expect(result.event.detail).toMatchObject({ reasonCode });
    else expect(result.rejection).toMatchObject({ code: 'invalid_field', field: 'reasonCode' });
  });

  it.each([
    [0, true],
    [4_500, true],
    [-1, false],
    [1.5, false],
    [Number.NaN, false],
  ])('checks reviewMs = %s', (reviewMs, valid) => {
    // Act
    const result = validate(DetailType.override, detailOf(DetailType.override, { reviewMs }));

    // Assess
    expect(result.ok).toBe(valid);
    if (!result.ok) expect(result.rejection.field).toBe('reviewMs');
  });
});

describe('validateEvent: event-time bounds', () => {
  it('defaults to a 35-day lateness window and 5 minutes of clock skew', () => {
    // Act
    const window = defaultTimeWindow(NOW_MS);

    // Assess
    expect(window).toEqual({ nowMs: NOW_MS, latenessMs: 35 * DAY_MS, futureSkewMs: 5 * MINUTE_MS });
  });

  it.each([
    ['now', NOW_MS],
    ['exactly 5 minutes ahead', NOW_MS + 5 * MINUTE_MS],
    ['exactly 35 days ago', NOW_MS - 35 * DAY_MS],
    ['34 days ago', NOW_MS - 34 * DAY_MS],
  ])('accepts an event stamped %s', (_name, occurredMs) => {
    // Act
    const parsed = acceptedDetail(
      validate(
        DetailType.usage,
        detailOf(DetailType.usage, { occurredAt: new Date(occurredMs).toISOString() }),
      ),
    );

    // Assess
    expect(Date.parse(String(parsed.occurredAt))).toBe(occurredMs);
  });

  it.each([
    ['1 ms more than 5 minutes ahead', NOW_MS + 5 * MINUTE_MS + 1],
    ['6 minutes ahead', NOW_MS + 6 * MINUTE_MS],
    ['a year ahead', NOW_MS + 365 * DAY_MS],
  ])('rejects an event stamped %s as occurred_in_future', (_name, occurredMs) => {
    // Act
    const rejection = rejectionOf(
      validate(
        DetailType.outcome,
        detailOf(DetailType.outcome, { occurredAt: new Date(occurredMs).toISOString() }),
      ),
    );

    // Assess
    expect(rejection.code).toBe(RejectionCode.inFuture);
    expect(rejection.code).toBe('occurred_in_future');
    expect(rejection.field).toBe('occurredAt');
  });

  it.each([
    ['1 ms older than 35 days', NOW_MS - 35 * DAY_MS - 1],
    ['36 days old', NOW_MS - 36 * DAY_MS],
    ['from 2020', Date.parse('2020-01-01T00:00:00Z')],
  ])('rejects an event %s as too_late', (_name, occurredMs) => {
    // Act
    const rejection = rejectionOf(
      validate(
        DetailType.override,
        detailOf(DetailType.override, { occurredAt: new Date(occurredMs).toISOString() }),
      ),
    );

    // Assess
    expect(rejection.code).toBe(RejectionCode.tooLate);
    expect(rejection.code).toBe('too_late');
    expect(rejection.field).toBe('occurredAt');
  });

  it('honours a configured lateness window instead of the default', () => {
    // Prepare
    const twoDaysAgo = new Date(NOW_MS - 2 * DAY_MS).toISOString();
    const oneDayWindow: TimeWindow = { nowMs: NOW_MS, latenessMs: DAY_MS };

    // Act
    const withDefault = validate(DetailType.usage, detailOf(DetailType.usage, { occurredAt: twoDaysAgo }));
    const withOneDay = validate(
      DetailType.usage,
      detailOf(DetailType.usage, { occurredAt: twoDaysAgo }),
      oneDayWindow,
    );

    // Assess
    expect(withDefault.ok).toBe(true);
    expect(rejectionOf(withOneDay).code).toBe('too_late');
  });

  it('applies the 5-minute skew when the window does not state one', () => {
    // Prepare
    const window: TimeWindow = { nowMs: NOW_MS, latenessMs: DAY_MS };
    const at = (ms: number) => detailOf(DetailType.usage, { occurredAt: new Date(ms).toISOString() });

    // Act
    const atLimit = validate(DetailType.usage, at(NOW_MS + 5 * MINUTE_MS), window);
    const beyond = validate(DetailType.usage, at(NOW_MS + 5 * MINUTE_MS + 1000), window);

    // Assess
    expect(atLimit.ok).toBe(true);
    expect(rejectionOf(beyond).code).toBe('occurred_in_future');
  });

  it('reports a field error before the time bounds when both are wrong', () => {
    // Prepare
    const detail = detailOf(DetailType.usage, {
      occurredAt: new Date(NOW_MS + DAY_MS).toISOString(),
      inputTokens: -5,
    });

    // Act
    const rejection = rejectionOf(validate(DetailType.usage, detail));

    // Assess
    expect(rejection).toMatchObject({ code: 'invalid_field', field: 'inputTokens' });
  });
});

describe('detail schemas', () => {
  it.each([
    ['usage', UsageDetailSchema, DetailType.usage],
    ['outcome', OutcomeDetailSchema, DetailType.outcome],
    ['override', OverrideDetailSchema, DetailType.override],
  ] as const)('the %s schema strips unknown keys on its own', (_name, schema, kind) => {
    // Prepare
    const detail = { ...SAMPLES[kind](), unexpected: 'value' };

    // Act
    const parsed = schema.parse(detail) as Detail;

    // Assess
    expect(parsed).not.toHaveProperty('unexpected');
    expect(parsed).toEqual(SAMPLES[kind]());
  });
});
