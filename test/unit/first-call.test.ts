import { describe, expect, it } from 'vitest';
import { onFirstCall } from '../../shared/lambda/first-call.ts';

type Handler = (event: number, context: string) => Promise<string>;

describe('onFirstCall', () => {
  it('loads nothing until the first call, then loads once for every later call', async () => {
    // Prepare
    let loads = 0;
    const handler = onFirstCall<number, string, string>(async () => {
      loads += 1;
      return async (event, context) => `${context}:${event * 2}`;
    });
    const loadsBeforeAnyCall = loads;

    // Act: two calls in flight together, then one more.
    const concurrent = await Promise.all([handler(1, 'a'), handler(2, 'b')]);
    const later = await handler(3, 'c');

    // Assess
    expect(loadsBeforeAnyCall).toBe(0);
    expect(concurrent).toEqual(['a:2', 'b:4']);
    expect(later).toBe('c:6');
    expect(loads).toBe(1);
  });

  it('fails the call whose load fails and loads again on the next call', async () => {
    // Prepare
    const outcomes: Array<Handler | Error> = [new Error('chunk missing'), async (event) => `ok ${event}`];
    let loads = 0;
    const handler = onFirstCall<number, string, string>(async () => {
      const outcome = outcomes[loads] as Handler | Error;
      loads += 1;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    });

    // Act
    const first = await handler(1, 'ctx').then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const second = await handler(2, 'ctx');

    // Assess: a warm sandbox is not stuck with the first failure.
    expect(first).toBe('chunk missing');
    expect(second).toBe('ok 2');
    expect(loads).toBe(2);
  });
});
