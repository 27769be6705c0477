import { describe, expect, it } from 'vitest';
import {
  acceptPutEvents,
  entrySize,
  PutEventsLimits,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
  PutEventsValidationError,
} from '../../infra/local/put-events.ts';

const NOW_MS = Date.parse('2026-11-23T12:34:56.789Z');
const CONTEXT = { knownBuses: new Set(['default', 'yardstick']), region: 'eu-west-1', nowMs: NOW_MS };
const KB = 1024;

const entry = (patch: Record<string, unknown> = {}): PutEventsRequestEntry => ({
  Source: 'acme.invoice-bot',
  DetailType: 'ai.workflow.outcome',
  Detail: JSON.stringify({ workflowId: 'invoice-bot', status: 'succeeded' }),
  EventBusName: 'yardstick',
  ...patch,
});

/** An entry whose Source + DetailType + Detail come to exactly `bytes` UTF-8 bytes. */
const entryOfSize = (bytes: number): PutEventsRequestEntry => {
  const source = 'acme.bot';
  const detailType = 'ai.workflow.usage';
  const padding = bytes - source.length - detailType.length - '{"p":""}'.length;
  return { Source: source, DetailType: detailType, Detail: JSON.stringify({ p: 'x'.repeat(padding) }) };
};

const requestError = (act: () => unknown): PutEventsValidationError => {
  try {
    act();
  } catch (error) {
    if (error instanceof PutEventsValidationError) return error;
    throw error;
  }
  throw new Error('expected a PutEventsValidationError');
};

const isError = (
  result: PutEventsResultEntry | undefined,
): result is { ErrorCode: string; ErrorMessage: string } => result !== undefined && 'ErrorCode' in result;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('acceptPutEvents: request-level validation', () => {
  it.each([
    ['no entries', 0],
    ['11 entries', 11],
    ['50 entries', 50],
  ])('rejects a request with %s as a ValidationException', (_name, count) => {
    // Prepare
    const entries = Array.from({ length: count }, () => entry());

    // Act
    const error = requestError(() => acceptPutEvents(entries, CONTEXT));

    // Assess
    expect(error.type).toBe('ValidationException');
    expect(error.message).toMatch(/entries/i);
  });

  it.each([
    ['one entry', 1],
    ['ten entries', 10],
  ])('accepts a request with %s', (_name, count) => {
    // Prepare
    const entries = Array.from({ length: count }, () => entry());

    // Act
    const { results, accepted } = acceptPutEvents(entries, CONTEXT);

    // Assess
    expect(results).toHaveLength(count);
    expect(accepted).toHaveLength(count);
  });

  it.each([
    ['missing', undefined],
    ['not an array', { Source: 'x' }],
  ])('rejects a request whose entries are %s', (_name, entries) => {
    // Act
    const error = requestError(() => acceptPutEvents(entries, CONTEXT));

    // Assess
    expect(error.type).toBe('ValidationException');
  });

  it('rejects a request whose entries total more than 256 KB', () => {
    // Prepare: two entries of 130 KB each, each within the limit on its own.
    const entries = [entryOfSize(130 * KB), entryOfSize(130 * KB)];

    // Act
    const error = requestError(() => acceptPutEvents(entries, CONTEXT));

    // Assess
    expect(entrySize(entries[0] ?? {})).toBe(130 * KB);
    expect(error.type).toBe('ValidationException');
    expect(error.message).toMatch(/size/i);
  });

  it('accepts a request just under 256 KB and rejects one a byte over', () => {
    // Prepare
    const under = [entryOfSize(128 * KB), entryOfSize(128 * KB - 1)];
    const over = [entryOfSize(128 * KB), entryOfSize(128 * KB + 1)];

    // Act
    const { results } = acceptPutEvents(under, CONTEXT);
    const error = requestError(() => acceptPutEvents(over, CONTEXT));

    // Assess
    expect(results.every((r) => 'EventId' in r)).toBe(true);
    expect(error.type).toBe('ValidationException');
  });

  it('counts multi-byte characters by their UTF-8 size towards the 256 KB limit', () => {
    // Prepare: 90,000 euro signs are 90,000 characters but 270,000 bytes.
    const detail = JSON.stringify({ note: '€'.repeat(90_000) });
    const entries = [entry({ Detail: detail })];

    // Act
    const error = requestError(() => acceptPutEvents(entries, CONTEXT));

    // Assess
    expect(detail.length).toBeLessThan(256 * KB);
    expect(error.type).toBe('ValidationException');
  });

  it('rejects a request in which no entry has Source, DetailType and Detail', () => {
    // Prepare
    const entries = [entry({ Source: undefined }), entry({ Detail: undefined }), {}];

    // Act
    const error = requestError(() => acceptPutEvents(entries, CONTEXT));

    // Assess
    expect(error.type).toBe('ValidationException');
    expect(error.message).toContain('Source');
    expect(error.message).toContain('DetailType');
    expect(error.message).toContain('Detail');
  });
});

describe('acceptPutEvents: per-entry results', () => {
  it.each(['Source', 'DetailType', 'Detail'])(
    'fails only the entry missing %s with InvalidArgument and gives the others EventIds',
    (field) => {
      // Prepare
      const entries = [entry(), entry({ [field]: undefined }), entry()];

      // Act
      const { results, accepted } = acceptPutEvents(entries, CONTEXT);

      // Assess
      expect(results).toHaveLength(3);
      expect(results[0]).toEqual({ EventId: expect.stringMatching(UUID) });
      expect(results[1]).toEqual({
        ErrorCode: 'InvalidArgument',
        ErrorMessage: expect.stringContaining(field),
      });
      expect(results[2]).toEqual({ EventId: expect.stringMatching(UUID) });
      expect(accepted.map((a) => a.envelope.id)).toEqual([
        (results[0] as { EventId: string }).EventId,
        (results[2] as { EventId: string }).EventId,
      ]);
    },
  );

  it.each([
    ['an empty Source', { Source: '' }],
    ['a numeric Detail', { Detail: 42 }],
  ])('fails an entry with %s as InvalidArgument', (_name, patch) => {
    // Act
    const { results } = acceptPutEvents([entry(), entry(patch)], CONTEXT);

    // Assess
    expect(results[1]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect('EventId' in (results[0] ?? {})).toBe(true);
  });

  it.each([
    ['not JSON', '{"workflowId": '],
    ['plain text', 'hello'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"text"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
  ])('fails an entry whose Detail is %s with MalformedDetail', (_name, detail) => {
    // Act
    const { results, accepted } = acceptPutEvents([entry({ Detail: detail }), entry()], CONTEXT);

    // Assess
    expect(results[0]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(results[1]).toEqual({ EventId: expect.stringMatching(UUID) });
    expect(accepted).toHaveLength(1);
  });

  it('fails an entry for an unknown bus with ResourceNotFoundException naming the bus', () => {
    // Act
    const { results, accepted } = acceptPutEvents(
      [entry({ EventBusName: 'no-such-bus' }), entry({ EventBusName: 'yardstick' })],
      CONTEXT,
    );

    // Assess
    expect(isError(results[0])).toBe(true);
    expect(results[0]).toMatchObject({
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: expect.stringContaining('no-such-bus'),
    });
    expect(accepted.map((a) => a.bus)).toEqual(['yardstick']);
  });

  it('resolves a bus given by its ARN to the bus name', () => {
    // Prepare
    const arn = 'arn:aws:events:eu-west-1:000000000000:event-bus/yardstick';

    // Act
    const { results, accepted } = acceptPutEvents([entry({ EventBusName: arn })], CONTEXT);

    // Assess
    expect(results[0]).toEqual({ EventId: expect.stringMatching(UUID) });
    expect(accepted[0]?.bus).toBe('yardstick');
  });

  it('fails an ARN that names an unknown bus', () => {
    // Prepare
    const arn = 'arn:aws:events:eu-west-1:000000000000:event-bus/elsewhere';

    // Act
    const { results } = acceptPutEvents([entry({ EventBusName: arn })], CONTEXT);

    // Assess
    expect(results[0]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
  });

  it('puts events without EventBusName on the default bus', () => {
    // Act
    const { accepted } = acceptPutEvents([entry({ EventBusName: undefined })], CONTEXT);

    // Assess
    expect(accepted[0]?.bus).toBe('default');
  });

  it('fails events without EventBusName when the default bus is not served', () => {
    // Prepare
    const context = { ...CONTEXT, knownBuses: new Set(['yardstick']) };

    // Act
    const { results } = acceptPutEvents([entry({ EventBusName: undefined }), entry()], context);

    // Assess
    expect(results[0]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
    expect('EventId' in (results[1] ?? {})).toBe(true);
  });

  it('gives every accepted entry a distinct EventId, in request order', () => {
    // Prepare
    const entries = Array.from({ length: 10 }, (_, i) =>
      entry({ Detail: JSON.stringify({ workflowId: 'wf', n: i }) }),
    );

    // Act
    const { results, accepted } = acceptPutEvents(entries, CONTEXT);

    // Assess
    const ids = results.map((r) => ('EventId' in r ? r.EventId : ''));
    expect(new Set(ids).size).toBe(10);
    expect(accepted.map((a) => a.envelope.detail.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('acceptPutEvents: the delivered envelope', () => {
  it('delivers the entry as EventBridge would to its targets', () => {
    // Prepare
    const detail = { workflowId: 'invoice-bot', status: 'succeeded', nested: { a: [1, 2] } };

    // Act
    const { results, accepted } = acceptPutEvents(
      [entry({ Detail: JSON.stringify(detail), Resources: ['arn:aws:s3:::bucket', 7] })],
      CONTEXT,
    );

    // Assess
    expect(accepted[0]?.envelope).toEqual({
      version: '0',
      id: (results[0] as { EventId: string }).EventId,
      'detail-type': 'ai.workflow.outcome',
      source: 'acme.invoice-bot',
      account: expect.stringMatching(/^\d{12}$/),
      time: '2026-11-23T12:34:56Z',
      region: 'eu-west-1',
      resources: ['arn:aws:s3:::bucket'],
      detail,
    });
  });

  it.each([
    ['epoch seconds, as the AWS SDK sends a Date', 1_700_000_000, '2023-11-14T22:13:20Z'],
    ['an ISO timestamp', '2026-11-20T08:00:00Z', '2026-11-20T08:00:00Z'],
    ['an ISO timestamp with milliseconds', '2026-11-20T08:00:00.250Z', '2026-11-20T08:00:00Z'],
  ])('honours a Time given as %s', (_name, time, expected) => {
    // Act
    const { accepted } = acceptPutEvents([entry({ Time: time })], CONTEXT);

    // Assess
    expect(accepted[0]?.envelope.time).toBe(expected);
  });

  it('stamps the arrival time when Time is absent', () => {
    // Act
    const { accepted } = acceptPutEvents([entry()], CONTEXT);

    // Assess
    expect(accepted[0]?.envelope.time).toBe('2026-11-23T12:34:56Z');
  });
});

describe('entrySize', () => {
  it('sums the UTF-8 lengths of Source, DetailType and Detail', () => {
    // Prepare
    const e = { Source: 'abc', DetailType: 'defg', Detail: '{"a":1}' };

    // Act
    const size = entrySize(e);

    // Assess
    expect(size).toBe(3 + 4 + 7);
  });

  it('counts 14 bytes for Time whatever its form', () => {
    // Prepare
    const base = { Source: 'abc', DetailType: 'defg', Detail: '{}' };

    // Act
    const sizes = [
      entrySize(base),
      entrySize({ ...base, Time: 1_700_000_000 }),
      entrySize({ ...base, Time: '2026-11-20T08:00:00.000Z' }),
    ];

    // Assess
    expect(sizes).toEqual([9, 9 + 14, 9 + 14]);
  });

  it.each([
    ['é (2 bytes)', 'é', 2],
    ['€ (3 bytes)', '€', 3],
    ['an emoji (4 bytes, 2 UTF-16 units)', '😀', 4],
  ])('counts %s by its UTF-8 bytes, not its characters', (_name, char, bytes) => {
    // Prepare
    const e = { Source: 's', DetailType: 't', Detail: char.repeat(10) };

    // Act
    const size = entrySize(e);

    // Assess
    expect(size).toBe(2 + 10 * bytes);
  });

  it('counts each resource string', () => {
    // Prepare
    const e = { Source: 's', DetailType: 't', Detail: '{}', Resources: ['arn:1', 'arn:22'] };

    // Act
    const size = entrySize(e);

    // Assess
    expect(size).toBe(1 + 1 + 2 + 5 + 6);
  });

  it('counts missing fields as zero', () => {
    // Act
    const size = entrySize({});

    // Assess
    expect(size).toBe(0);
  });
});

const nested = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('acceptPutEvents: malformed input gets the error AWS gives, never an exception', () => {
  it.each([
    ['null', null, 'ValidationException', "Value null at 'entries.2.member'"],
    ['a number', 7, 'SerializationException', 'entries.2.member'],
    ['a string', 'x', 'SerializationException', 'entries.2.member'],
    ['an array', [], 'SerializationException', 'entries.2.member'],
  ])('refuses the request when an entry is %s', (_name, bad, type, message) => {
    // Act
    const error = requestError(() => acceptPutEvents([entry(), bad, entry()], CONTEXT));

    // Assess
    expect(error.type).toBe(type);
    expect(error.message).toContain(message);
  });

  it.each([
    ['beyond the year 275760', 1e13],
    ['not finite', Number.POSITIVE_INFINITY],
    ['an unparsable string', 'yesterday'],
    ['a boolean', true],
  ])('fails only the entry whose Time is %s, with InvalidArgument', (_name, time) => {
    // Act
    const { results, accepted } = acceptPutEvents([entry(), entry({ Time: time }), entry()], CONTEXT);

    // Assess
    expect(results[1]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: expect.stringContaining('Parameter Time is not valid'),
    });
    expect(accepted).toHaveLength(2);
  });

  it('fails a Detail nested deeper than the limit with MalformedDetail and accepts its neighbours', () => {
    // Prepare
    const entries = [entry(), entry({ Detail: nested(20_000) }), entry()];

    // Act
    const { results, accepted } = acceptPutEvents(entries, CONTEXT);

    // Assess
    expect(results[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(accepted.map((event) => event.envelope.id)).toEqual([
      (results[0] as { EventId: string }).EventId,
      (results[2] as { EventId: string }).EventId,
    ]);
  });

  it('accepts a Detail nested exactly to the limit, and its envelope serialises', () => {
    // Act
    const { results, accepted } = acceptPutEvents(
      [entry({ Detail: nested(PutEventsLimits.maxDetailDepth) })],
      CONTEXT,
    );

    // Assess
    expect(results[0]).toHaveProperty('EventId');
    expect(JSON.parse(accepted[0]?.json ?? '')).toEqual(accepted[0]?.envelope);
  });

  it.each(['aws.events', 'aws.partner/acme', 'aws.'])(
    'fails a Source of %s with NotAuthorizedForSourceException, as EventBridge does',
    (source) => {
      // Act
      const { results, accepted } = acceptPutEvents([entry({ Source: source }), entry()], CONTEXT);

      // Assess
      expect(results[0]).toEqual({
        ErrorCode: 'NotAuthorizedForSourceException',
        ErrorMessage: 'Not authorized for the source.',
      });
      expect(accepted).toHaveLength(1);
    },
  );

  it('accepts a Source that only contains "aws"', () => {
    // Act
    const { accepted } = acceptPutEvents(
      [entry({ Source: 'acme.aws.bot' }), entry({ Source: 'awsome' })],
      CONTEXT,
    );

    // Assess
    expect(accepted).toHaveLength(2);
  });
});
