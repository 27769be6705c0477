import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DetailType } from '../../events/detail-types.ts';
import { looksLikePii, normalizeForPii } from '../../events/pii.ts';
import { defaultTimeWindow, validateEvent } from '../../events/validate.ts';

// The table of cases in docs/contract.md is the rule: this file runs exactly its rows.
const doc = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('<!-- pii-cases:start -->'), doc.indexOf('<!-- pii-cases:end -->'));
const ROW = /^\| `([^`]+)` \| (yes|no) \| (.+) \|$/;
const cases = section
  .split('\n')
  .map((line) => ROW.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map(([, id = '', flagged, why = '']) => ({ id, flagged: flagged === 'yes', why }));

const NOW_MS = Date.parse('2026-11-23T12:00:00.000Z');
const override = (reviewerId: string) => ({
  schemaVersion: 1,
  eventId: 'evt-1',
  workflowId: 'invoice-bot',
  occurredAt: '2026-11-23T11:00:00.000Z',
  decision: 'edited',
  reviewerId,
});

describe('the personal-data rule of docs/contract.md', () => {
  it('has cases in both directions, including every case the issue names', () => {
    // Assess
    expect(cases.filter((c) => c.flagged).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => !c.flagged).length).toBeGreaterThanOrEqual(10);
    const ids = cases.map((c) => c.id);
    for (const named of [
      'john＠example.com',
      'john%40example.com',
      'tel:+15551234567',
      '+1-555-123-4567 ext 12',
      '12345678',
    ])
      expect(ids).toContain(named);
    expect(ids.some((id) => /[０-９]/.test(id))).toBe(true);
  });

  it.each(cases)('$id → flagged: $flagged ($why)', ({ id, flagged }) => {
    // Act
    const result = looksLikePii(id);

    // Assess
    expect(result).toBe(flagged);
  });

  it.each(cases)('applies the same answer to reviewerId $id in validation', ({ id, flagged }) => {
    // Act
    const result = validateEvent(
      { detailType: DetailType.override, source: 'acme.bot', detail: override(id) },
      defaultTimeWindow(NOW_MS),
    );

    // Assess
    if (flagged)
      expect(result).toMatchObject({ ok: false, rejection: { code: 'pii_suspected', field: 'reviewerId' } });
    else expect(result.ok).toBe(true);
  });
});

describe('normalizeForPii', () => {
  it.each([
    ['full-width letters and at', 'ｊｏｈｎ＠ｅｘａｍｐｌｅ.ｃｏｍ', 'john@example.com'],
    ['percent-encoding', 'john%40example.com', 'john@example.com'],
    ['double percent-encoding', 'john%2540example.com', 'john@example.com'],
    ['a malformed escape, kept', 'id%E0%A4end', 'id%E0%A4end'],
    ['a lone percent sign, kept', '100%', '100%'],
  ])('folds %s', (_why, value, expected) => {
    // Act
    const normalized = normalizeForPii(value);

    // Assess
    expect(normalized).toBe(expected);
  });

  it('stays fast on a long value full of at-signs and digits', () => {
    // Prepare
    const long = `${'a@b.'.repeat(25_000)}${'1-'.repeat(25_000)}`;

    // Act
    const started = performance.now();
    looksLikePii(long);
    const elapsedMs = performance.now() - started;

    // Assess
    expect(elapsedMs).toBeLessThan(500);
  });
});
