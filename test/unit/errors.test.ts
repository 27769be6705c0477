import { describe, expect, it } from 'vitest';
import { ApiError } from '../../functions/api/http.ts';
import { InvalidEventPatternError } from '../../infra/local/event-pattern.ts';
import { ConfigurationError } from '../../shared/config/environment.ts';
import { YardstickError } from '../../shared/errors.ts';
import { TransactionRetriesExhaustedError } from '../../shared/store/dynamodb/store-errors.ts';
import { InvalidPageTokenError } from '../../shared/store/page-token.ts';

describe('YardstickError', () => {
  it.each([
    ['ApiError', () => new ApiError(400, 'invalid_parameter', 'bad')],
    ['InvalidEventPatternError', () => new InvalidEventPatternError('$.source', 'not an array')],
    ['InvalidPageTokenError', () => new InvalidPageTokenError('bad token')],
    ['TransactionRetriesExhaustedError', () => new TransactionRetriesExhaustedError('TransactionConflict')],
  ])(
    'gives %s its class name and the shared base, so logs and callers can tell errors apart',
    (name, make) => {
      // Act
      const error = make();

      // Assess
      expect(error).toBeInstanceOf(YardstickError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
    },
  );

  it('keeps the cause it was given', () => {
    // Act
    const cause = new Error('root');
    const error = new YardstickError('wrapped', { cause });

    // Assess
    expect(error.cause).toBe(cause);
    expect(ConfigurationError.prototype).toBeInstanceOf(YardstickError);
  });
});
