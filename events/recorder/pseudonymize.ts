import { createHmac } from 'node:crypto';
import { RecorderConfigError } from './errors.ts';

/** The shortest salt accepted: a shorter one makes pseudonyms guessable from a list of known ids. */
export const MIN_SALT_BYTES = 16;

/** A function from a raw id to its pseudonym. */
export type Pseudonymizer = (id: string) => string;

/**
 * Builds a keyed pseudonymiser: HMAC-SHA256 of the id under the salt, as 64 hex characters. The same
 * id and salt always give the same pseudonym (distinct users stay countable), and without the salt
 * the id cannot be recovered or confirmed by hashing a guess.
 *
 * @example
 * ```ts
 * const pseudonymize = createPseudonymizer(process.env.YARDSTICK_ID_SALT ?? '');
 * pseudonymize('jane.doe@example.com'); // '5f0c…' (64 hex characters)
 * ```
 */
export const createPseudonymizer = (salt: string | Uint8Array): Pseudonymizer => {
  const bytes = typeof salt === 'string' ? Buffer.byteLength(salt, 'utf8') : (salt?.byteLength ?? 0);
  if (bytes < MIN_SALT_BYTES) {
    throw new RecorderConfigError(
      `pseudonymize.salt must be at least ${MIN_SALT_BYTES} bytes (got ${bytes}); keep it secret, e.g. in Secrets Manager`,
    );
  }
  // Ids repeat (a user's many events, a reviewer's many reviews): a small cache saves an HMAC each time.
  const cache = new Map<string, string>();
  return (id) => {
    const cached = cache.get(id);
    if (cached !== undefined) return cached;
    const pseudonym = createHmac('sha256', salt).update(id, 'utf8').digest('hex');
    if (cache.size >= PSEUDONYM_CACHE_SIZE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(id, pseudonym);
    return pseudonym;
  };
};

const PSEUDONYM_CACHE_SIZE = 1_024;
