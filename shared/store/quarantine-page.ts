import { decodePageToken, encodePageToken } from './page-token.ts';
import type { QuarantineEntry, QuarantinePage, QuarantinePageRequest } from './port.ts';

// receivedAt is always `Date#toISOString()` (fixed width, UTC), so text order is arrival order.
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#.+$/;

/**
 * Where an entry sits in its day's listing: arrival time, then id to break ties within a batch.
 * Both adapters order by it and carry it in `nextToken`, so their pages and tokens agree.
 *
 * @example
 * ```ts
 * quarantinePosition({ receivedAt: '2026-11-23T10:00:00.000Z', id: 'wf:e1' }); // '2026-11-23T10:00:00.000Z#wf:e1'
 * ```
 */
export const quarantinePosition = (entry: Pick<QuarantineEntry, 'receivedAt' | 'id'>): string =>
  `${entry.receivedAt}#${entry.id}`;

/**
 * The position a page starts after (exclusive), or undefined for the first page.
 *
 * @example
 * ```ts
 * const after = quarantineAfter({ limit: 100, nextToken }); // throws InvalidPageTokenError if forged
 * ```
 */
export const quarantineAfter = (request: QuarantinePageRequest): string | undefined =>
  request.nextToken === undefined
    ? undefined
    : decodePageToken(request.nextToken, (after) => POSITION.test(after));

/**
 * A page from up to `limit + 1` entries read newest first: the extra one only says that more follow,
 * so the last page never comes back empty.
 *
 * @example
 * ```ts
 * return quarantinePage(newestFirst.slice(0, limit + 1), limit);
 * ```
 */
export const quarantinePage = (entries: readonly QuarantineEntry[], limit: number): QuarantinePage => {
  const served = entries.slice(0, limit);
  const last = served.at(-1);
  return {
    entries: served,
    ...(entries.length > limit && last ? { nextToken: encodePageToken(quarantinePosition(last)) } : {}),
  };
};
