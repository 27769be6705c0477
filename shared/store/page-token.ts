import { YardstickError } from '../errors.ts';

/** Thrown for a `nextToken` this store did not issue; the API answers 400 `invalid_parameter`. */
export class InvalidPageTokenError extends YardstickError {}

/**
 * The opaque `nextToken` of a paged listing: the position of the last entry served, in the same
 * base64url JSON shape as `GET /workflows`, so a client treats every token of the API alike.
 *
 * @example
 * ```ts
 * const nextToken = encodePageToken('T#2026-11-23T10:00:00.000Z#wf:e1');
 * ```
 */
export const encodePageToken = (after: string): string =>
  Buffer.from(JSON.stringify({ after })).toString('base64url');

/**
 * The position a token carries, if `accepts` it; any other token (garbled, forged, from another
 * listing) gets the same error, so a client learns nothing from guessing.
 *
 * @example
 * ```ts
 * const after = decodePageToken(token, (position) => position.startsWith('T#'));
 * ```
 */
export const decodePageToken = (token: string, accepts: (after: string) => boolean): string => {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string' && accepts(after)) return after;
  } catch {
    // fall through: the same answer for every malformed token
  }
  throw new InvalidPageTokenError('nextToken is not one this API issued; start again without it');
};
