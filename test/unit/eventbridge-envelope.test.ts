import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { describe, expect, it } from 'vitest';
import { EventBridgeEnvelopeSchema } from '../../functions/aggregate/eventbridge-envelope.ts';

const VALID = {
  version: '0',
  id: 'c0ffee00-0000-4000-8000-000000000001',
  'detail-type': 'ai.workflow.outcome',
  source: 'acme.invoice-bot',
  account: '000000000000',
  time: '2026-11-23T11:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { schemaVersion: 1, eventId: 'evt-1' },
};

const without = (field: keyof typeof VALID) => {
  const { [field]: _dropped, ...rest } = VALID;
  return rest;
};

/** Envelopes a producer, a replay or a broken queue message can put in front of the aggregate function. */
const CASES: ReadonlyArray<readonly [string, unknown]> = [
  ['a well-formed envelope', VALID],
  ['a replayed envelope', { ...VALID, 'replay-name': 'after-pricing-fix' }],
  ['a time with milliseconds', { ...VALID, time: '2026-11-23T11:00:00.123Z' }],
  ['a time with an offset', { ...VALID, time: '2026-11-23T11:00:00+01:00' }],
  ['a date without a time', { ...VALID, time: '2026-11-23' }],
  ['a time that is not a date', { ...VALID, time: 'yesterday' }],
  ['no detail-type', without('detail-type')],
  ['no region', without('region')],
  ['a numeric source', { ...VALID, source: 42 }],
  ['resources that are not strings', { ...VALID, resources: [1] }],
  ['a null replay-name', { ...VALID, 'replay-name': null }],
  ['an array', [VALID]],
  ['null', null],
  ['a string', 'not an envelope'],
];

describe('the aggregate function checks EventBridge envelopes by the rules of Powertools, without its zod import', () => {
  it.each(CASES)('%s gets the same verdict, data and first message as Powertools gives', (_name, input) => {
    // Prepare: Powertools' schema is the reference the envelope rules were copied from.
    const reference = EventBridgeSchema.safeParse(input);

    // Act
    const checked = EventBridgeEnvelopeSchema.safeParse(input);

    // Assess
    expect(checked.success).toBe(reference.success);
    if (checked.success && reference.success) expect(checked.data).toEqual(reference.data);
    if (!checked.success && !reference.success) {
      const [issue] = checked.error.issues;
      const [expected] = reference.error.issues;
      expect({ path: issue?.path, message: issue?.message }).toEqual({
        path: expected?.path,
        message: expected?.message,
      });
    }
  });

  it('refuses an envelope without a detail-type, naming the field', () => {
    // Prepare
    const input = without('detail-type');

    // Act
    const checked = EventBridgeEnvelopeSchema.safeParse(input);

    // Assess: parse-record.ts quarantines with `not an EventBridge event: <path>: <message>`.
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.path).toEqual(['detail-type']);
    expect(checked.error?.issues[0]?.message).toBe('Invalid input: expected string, received undefined');
  });
});
