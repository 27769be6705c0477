import { describe, expect, it } from 'vitest';
import { type Rejection, RejectionCode } from '../../events/validate.ts';
import { MAX_QUARANTINED_BODY, quarantineEntry } from '../../shared/ingest/quarantine-entry.ts';
import { RedactionMarker, redactBody, redactText } from '../../shared/ingest/redact.ts';

const RECEIVED_AT = '2026-11-23T12:00:00.000Z';
const PII: Rejection = {
  code: RejectionCode.piiSuspected,
  message: 'userId: looks like an e-mail address',
  field: 'userId',
};
const LATE: Rejection = {
  code: RejectionCode.tooLate,
  message: 'occurredAt is too old',
  field: 'occurredAt',
};

const envelope = (detail: Record<string, unknown>) =>
  JSON.stringify({
    version: '0',
    id: 'env-1',
    'detail-type': 'ai.workflow.outcome',
    source: 'acme.bot',
    account: '000000000000',
    time: '2026-11-23T11:00:00Z',
    detail,
  });

const detail = (extra: Record<string, unknown>) => ({
  schemaVersion: 1,
  eventId: 'evt-1',
  workflowId: 'invoice-bot',
  occurredAt: '2026-11-23T11:00:00Z',
  status: 'succeeded',
  ...extra,
});

const entryOf = (body: string, rejection: Rejection, parsed?: Record<string, unknown>) =>
  quarantineEntry(
    { id: 'env-1', body, detailType: 'ai.workflow.outcome', source: 'acme.bot', detail: parsed },
    rejection,
    RECEIVED_AT,
  );

describe('quarantineEntry keeps no personal data', () => {
  it("stores the demo's pii_suspected event without the address, still as diagnosable JSON", () => {
    // Prepare
    const d = detail({ userId: 'jane.doe@example.com', valueUsd: 4.5 });

    // Act
    const entry = entryOf(envelope(d), PII, d);

    // Assess
    expect(entry.body).not.toContain('jane');
    const stored = JSON.parse(entry.body) as { detail: Record<string, unknown>; source: string };
    expect(stored.detail).toEqual({ ...d, userId: RedactionMarker.pii });
    expect(stored.source).toBe('acme.bot');
    expect(entry).toMatchObject({ id: 'invoice-bot:evt-1', workflowId: 'invoice-bot', eventId: 'evt-1' });
  });

  it('drops a pseudonymous userId and reviewerId from an event refused for another reason', () => {
    // Prepare
    const d = detail({ userId: 'u_8f3a9b2c', reviewerId: 'rev-19c2' });

    // Act
    const entry = entryOf(envelope(d), LATE, d);

    // Assess
    expect(entry.body).not.toContain('u_8f3a9b2c');
    expect(entry.body).not.toContain('rev-19c2');
    expect(JSON.parse(entry.body).detail).toMatchObject({
      userId: RedactionMarker.id,
      reviewerId: RedactionMarker.id,
    });
  });

  it.each([
    ['a number', '{"userId":15551234567}', '15551234567'],
    ['an object', '{"userId":{"email":"x","n":5551234}}', '5551234'],
    ['an array', '{"reviewerId":["a-1",{"b":"c-2"}]}', 'c-2'],
    ['a nested id', '{"detail":{"meta":{"userId":"u-9"}}}', 'u-9'],
  ])('redacts an id that is %s, keeping the JSON valid', (_why, body, secret) => {
    // Act
    const redacted = redactBody(body);

    // Assess
    expect(redacted).not.toContain(secret);
    expect(() => JSON.parse(redacted)).not.toThrow();
  });

  it.each([
    ['full-width at', 'john＠example.com'],
    ['percent-encoded at', 'john%40example.com'],
    ['an escaped at', 'jane\\u0040example.com'],
    ['a tel: URI', 'tel:+15551234567'],
  ])('redacts %s wherever it is, in values and keys', (_why, value) => {
    // Prepare
    const body = `{"detail":{"note":"${value}","tags":["${value}"],"${value}":1}}`;

    // Act
    const redacted = redactBody(body);

    // Assess
    expect(redacted).toBe(
      `{"detail":{"note":"${RedactionMarker.pii}","tags":["${RedactionMarker.pii}"],"${RedactionMarker.pii}":1}}`,
    );
  });

  it('keeps everything else byte for byte: spacing, big integers, dates, versions', () => {
    // Prepare
    const body =
      '{ "inputTokens" : 123456789012345678901, "eventId": "2026-11-23-0042", "version": "1.2.3.4", "runId": "r 1" }';

    // Act
    const redacted = redactBody(body);

    // Assess
    expect(redacted).toBe(body);
  });

  it.each([
    ['cut inside the value', '{"detail":{"userId":"jane.doe@exam'],
    ['cut after an escape', '{"detail":{"userId":"jane.doe\\'],
    ['not JSON at all', 'userId=jane.doe@example.com&x=1'],
  ])('redacts a body that is not JSON: %s', (_why, body) => {
    // Act
    const entry = entryOf(body, { code: RejectionCode.invalidJson, message: 'body is not JSON' });

    // Assess
    expect(entry.body).not.toContain('jane.doe');
  });

  it('redacts before shortening the body, so the cut cannot expose part of an address', () => {
    // Prepare
    // The plain cut at MAX_QUARANTINED_BODY would fall inside the address: `…"contact":"jane.doe@exa`.
    const padding = 'x'.repeat(
      MAX_QUARANTINED_BODY - '{"pad":"'.length - '","contact":"'.length - 'jane.doe@exa'.length,
    );
    const body = `{"pad":"${padding}","contact":"jane.doe@example.com"}`;

    // Act
    const entry = entryOf(body, LATE);

    // Assess
    expect(entry.body.length).toBeLessThanOrEqual(MAX_QUARANTINED_BODY);
    expect(entry.body).not.toContain('jane');
  });

  it('scrubs the message, source and detail type, and never keys the entry by an address', () => {
    // Prepare
    const d = detail({ eventId: 'jane@example.com' });
    const rejection: Rejection = {
      code: RejectionCode.invalidJson,
      message: `Unexpected token 'j', "jane.doe@e"... is not valid JSON`,
    };

    // Act
    const entry = quarantineEntry(
      {
        id: 'env-7',
        body: envelope(d),
        detailType: 'bob@example.org',
        source: 'tel:+15551234567',
        detail: d,
      },
      rejection,
      RECEIVED_AT,
    );

    // Assess
    expect(JSON.stringify(entry)).not.toMatch(/jane|bob@|5551234567/);
    expect(entry.id).toBe('env-7');
    expect(entry.eventId).toBeUndefined();
    expect(entry.rejection.message).toContain(RedactionMarker.pii);
  });

  it('leaves a free text without personal data exactly as it was, look-alike characters included', () => {
    // Act
    const text = redactText('ａｉ.workflow.usage');

    // Assess
    expect(text).toBe('ａｉ.workflow.usage');
  });

  it('handles a body nested 20,000 levels deep without overflowing the stack', () => {
    // Prepare
    const body = `${'{"a":'.repeat(20_000)}{"userId":"jane@example.com"}${'}'.repeat(20_000)}`;

    // Act
    const redacted = redactBody(body);

    // Assess
    expect(redacted).not.toContain('jane');
    expect(redacted.length).toBe(
      body.length - '"jane@example.com"'.length + `"${RedactionMarker.pii}"`.length,
    );
  });
});
