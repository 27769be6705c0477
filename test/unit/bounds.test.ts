import { describe, expect, it } from 'vitest';
import {
  BOUNDS,
  type BoundedField,
  EVENTS_PER_BUCKET_CEILING,
  SQUARE_SUM_CEILING,
  SUM_CEILING,
} from '../../events/bounds.ts';
import { DetailType, type DetailTypeName } from '../../events/detail-types.ts';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { defaultTimeWindow, type ValidationResult, validateEvent } from '../../events/validate.ts';
import { deltaFromEvent, noPrices } from '../../shared/metrics/counters.ts';
import { toScaledInteger, usdToNanos } from '../../shared/money.ts';

const NOW_MS = Date.parse('2026-11-23T12:00:00.000Z');
const FIELDS = Object.keys(BOUNDS) as BoundedField[];

const KIND_OF: Record<BoundedField, DetailTypeName> = {
  costUsd: DetailType.usage,
  inputTokens: DetailType.usage,
  outputTokens: DetailType.usage,
  cachedInputTokens: DetailType.usage,
  cacheCreationInputTokens: DetailType.usage,
  reasoningOutputTokens: DetailType.usage,
  latencyMs: DetailType.usage,
  valueUsd: DetailType.outcome,
  minutesSaved: DetailType.outcome,
  durationMs: DetailType.outcome,
  qualityScore: DetailType.outcome,
  reviewMs: DetailType.override,
};

const BASE: Record<DetailTypeName, Record<string, unknown>> = {
  [DetailType.usage]: { model: 'm', inputTokens: 1, outputTokens: 1, latencyMs: 1 },
  [DetailType.outcome]: { status: 'succeeded' },
  [DetailType.override]: { decision: 'edited' },
};

const validate = (field: BoundedField, value: number): ValidationResult =>
  validateEvent(
    {
      detailType: KIND_OF[field],
      source: 'acme.bot',
      detail: {
        schemaVersion: 1,
        eventId: 'e-1',
        workflowId: 'wf',
        occurredAt: '2026-11-23T11:00:00.000Z',
        ...BASE[KIND_OF[field]],
        [field]: value,
      },
    },
    defaultTimeWindow(NOW_MS),
  );

/** The smallest value the producer could send above the bound. */
const justAbove = (max: number) => (Number.isInteger(max) && max > 1 ? max + 1 : max * (1 + 1e-9));

describe('the bounds keep every counter exact inside DynamoDB numbers', () => {
  it.each(FIELDS)('%s: one event at the bound is a safe integer in its stored unit', (field) => {
    // Act
    const scaled = toScaledInteger(BOUNDS[field].max, BOUNDS[field].sumDecimals);

    // Assess
    expect(scaled).toBeLessThanOrEqual(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it.each(FIELDS)('%s: a bucket of events all at the bound sums below the sum ceiling', (field) => {
    // Act
    const sum = toScaledInteger(BOUNDS[field].max, BOUNDS[field].sumDecimals) * EVENTS_PER_BUCKET_CEILING;

    // Assess
    expect(sum).toBeLessThan(SUM_CEILING);
    expect(SUM_CEILING).toBeLessThanOrEqual(10n ** 38n);
  });

  it.each(FIELDS.filter((f) => BOUNDS[f].squareDecimals !== null))(
    '%s: a bucket of squares at the bound stays below the square-sum ceiling',
    (field) => {
      // Act
      const one = toScaledInteger(BOUNDS[field].max, BOUNDS[field].squareDecimals ?? 0);
      const sumOfSquares = one * one * EVENTS_PER_BUCKET_CEILING;

      // Assess
      expect(sumOfSquares).toBeLessThan(SQUARE_SUM_CEILING);
      expect(SQUARE_SUM_CEILING).toBeLessThan(10n ** 38n);
    },
  );

  it('keeps the worst case a century of traffic at tens of thousands of events per second', () => {
    // Act
    const perSecond = Number(EVENTS_PER_BUCKET_CEILING) / (100 * 365.25 * 86_400);

    // Assess
    expect(perSecond).toBeGreaterThan(30_000);
  });
});

describe('validation against the bounds', () => {
  it.each(FIELDS)('accepts %s at its bound', (field) => {
    // Act
    const result = validate(field, BOUNDS[field].max);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each(
    FIELDS.flatMap((field) =>
      [justAbove(BOUNDS[field].max), 1e30, 1e306, Number.MAX_VALUE, 2 ** 60].map((value) => ({
        field,
        value,
      })),
    ),
  )('quarantines $field = $value as out_of_range, naming the field and its bound', ({ field, value }) => {
    // Act
    const result = validate(field, value);

    // Assess
    expect(result).toMatchObject({ ok: false, rejection: { code: 'out_of_range', field } });
    if (!result.ok)
      expect(result.rejection.message).toContain(`at most ${BOUNDS[field].max} ${BOUNDS[field].unit}`);
  });

  it.each(FIELDS)('still refuses %s = Infinity and a negative value as invalid_field', (field) => {
    // Act
    const infinite = validate(field, Number.POSITIVE_INFINITY);
    const negative = validate(field, -1);

    // Assess
    expect(infinite).toMatchObject({ ok: false, rejection: { code: 'invalid_field', field } });
    expect(negative).toMatchObject({ ok: false, rejection: { code: 'invalid_field', field } });
  });
});

describe('deltaFromEvent on numbers beyond any bound (defence in depth)', () => {
  const event = (kind: DetailTypeName, fields: Record<string, unknown>) =>
    ({
      kind,
      source: 'acme.bot',
      detail: {
        schemaVersion: 1,
        eventId: 'e',
        workflowId: 'wf',
        occurredAt: '2026-11-23T11:00:00.000Z',
        ...fields,
      },
    }) as WorkflowEvent;

  it.each([1e306, Number.MAX_VALUE, 1e30, 5e-324, 1.5])(
    'converts %s in every field to exact integers without throwing',
    (value) => {
      // Prepare
      const usage = event(DetailType.usage, {
        model: 'm',
        inputTokens: value,
        outputTokens: value,
        cachedInputTokens: value,
        latencyMs: value,
        costUsd: value,
      });
      const outcome = event(DetailType.outcome, {
        status: 'succeeded',
        valueUsd: value,
        minutesSaved: value,
        qualityScore: value,
        durationMs: value,
      });
      const override = event(DetailType.override, { decision: 'edited', reviewMs: value });

      // Act
      const deltas = [usage, outcome, override].map((e) => deltaFromEvent(e, noPrices));

      // Assess
      expect(deltas[1]?.values.minutesSavedReportedMilli).toBe(toScaledInteger(value, 3));
      expect(deltas[0]?.values.costReportedNanos).toBe(usdToNanos(value));
      expect(deltas[2]?.values.reviewTimed).toBe(1n);
    },
  );
});

describe('toScaledInteger', () => {
  it.each([
    [1.005, 9, 1_005_000_000n],
    [0.0000002, 9, 200n],
    [2.5, 3, 2500n],
    [0.0005, 3, 1n],
    [0.0004, 3, 0n],
    [123, 0, 123n],
    [1e306, 3, 10n ** 309n],
    [-1.5, 0, -2n],
  ])('scales %s by 10^%s to %s exactly', (value, decimals, expected) => {
    // Act
    const scaled = toScaledInteger(value, decimals);

    // Assess
    expect(scaled).toBe(expected);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses %s with a RangeError', (value) => {
    // Act + Assess
    expect(() => toScaledInteger(value, 3)).toThrow(RangeError);
  });
});
