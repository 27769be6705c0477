import { describe, expect, it } from 'vitest';
import { DetailType } from '../../events/detail-types.ts';
import { canonicalInstant } from '../../events/instant.ts';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { defaultTimeWindow, validateEvent } from '../../events/validate.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';

const NOW_MS = Date.parse('2026-11-23T12:00:00.000Z');

const outcome = (occurredAt: string, extra: Record<string, unknown> = {}) =>
  ({
    kind: DetailType.outcome,
    source: 'acme.bot',
    detail: { schemaVersion: 1, eventId: 'e-1', workflowId: 'wf', occurredAt, status: 'succeeded', ...extra },
  }) as WorkflowEvent;

describe('canonicalInstant', () => {
  it.each([
    ['seconds only', '2026-11-23T10:15:00Z', '2026-11-23T10:15:00.000Z'],
    ['milliseconds', '2026-11-23T10:15:00.120Z', '2026-11-23T10:15:00.120Z'],
    ['one digit', '2026-11-23T10:15:00.5Z', '2026-11-23T10:15:00.500Z'],
    ['zero microseconds', '2026-11-23T10:15:00.500000Z', '2026-11-23T10:15:00.500Z'],
    ['a bare dot of zeros', '2026-11-23T10:15:00.0Z', '2026-11-23T10:15:00.000Z'],
    ['a real microsecond', '2026-11-23T10:15:00.000001Z', '2026-11-23T10:15:00.000001Z'],
    ['nanoseconds with zeros', '2026-11-23T10:15:00.123456700Z', '2026-11-23T10:15:00.1234567Z'],
  ])('writes %s in the canonical spelling', (_why, sent, canonical) => {
    // Act
    const result = canonicalInstant(sent);

    // Assess
    expect(result).toBe(canonical);
  });

  it('matches Date.prototype.toISOString for millisecond instants', () => {
    // Prepare
    const instants = [0, 1, 999, 1_795_431_600_000, 1_795_431_600_123];

    // Act + Assess
    for (const ms of instants) {
      const iso = new Date(ms).toISOString();
      expect(canonicalInstant(iso.replace('.000Z', 'Z'))).toBe(iso);
    }
  });

  it('keeps instants a microsecond apart apart', () => {
    // Act
    const a = canonicalInstant('2026-11-23T10:15:00.000001Z');
    const b = canonicalInstant('2026-11-23T10:15:00.000002Z');

    // Assess
    expect(a).not.toBe(b);
  });
});

describe('the schema and the fingerprint use canonical instants', () => {
  it('parses occurredAt into its canonical spelling', () => {
    // Act
    const result = validateEvent(
      { detailType: DetailType.outcome, source: 'acme.bot', detail: outcome('2026-11-23T11:00:00Z').detail },
      defaultTimeWindow(NOW_MS),
    );

    // Assess
    expect(result).toMatchObject({ ok: true, event: { detail: { occurredAt: '2026-11-23T11:00:00.000Z' } } });
  });

  it.each([
    ['2026-11-23T11:00:00Z', '2026-11-23T11:00:00.000Z'],
    ['2026-11-23T11:00:00.5Z', '2026-11-23T11:00:00.500000Z'],
  ])('fingerprints %s and %s alike, even for an event built without the schema', (a, b) => {
    // Act + Assess
    expect(eventFingerprint(outcome(a))).toBe(eventFingerprint(outcome(b)));
  });

  it('fingerprints numbers by value: 1, 1.0 and 1e0 are one number', () => {
    // Prepare
    const spellings = ['1', '1.0', '1e0', '1.000'].map(
      (n) => JSON.parse(`{"valueUsd":${n}}`) as Record<string, unknown>,
    );

    // Act
    const prints = new Set(
      spellings.map((extra) => eventFingerprint(outcome('2026-11-23T11:00:00Z', extra))),
    );

    // Assess
    expect(prints.size).toBe(1);
  });

  it('still tells different instants and different values apart', () => {
    // Act
    const base = eventFingerprint(outcome('2026-11-23T11:00:00Z'));

    // Assess
    expect(eventFingerprint(outcome('2026-11-23T11:00:00.001Z'))).not.toBe(base);
    expect(eventFingerprint(outcome('2026-11-23T11:00:00Z', { valueUsd: 1 }))).not.toBe(base);
  });
});
