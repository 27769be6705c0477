import { type LocalDigestOptions, runLocalDigest } from '../../../functions/digest/local.ts';
import { lastFullWeek, weeksEndingWith } from '../../../shared/digest/weeks.ts';

/**
 * Weeks before the last full one whose digests the demo archives, oldest first: with the last full
 * week they make four, enough for "scale three weeks running" and "unproven four weeks running" to
 * show (docs/portfolio.md). The demo's events reach back 34 days, so four full weeks are all there.
 */
export const DEMO_PAST_DIGEST_WEEKS = 3;

/**
 * Runs the digest for each of the {@link DEMO_PAST_DIGEST_WEEKS} weeks before the last full week,
 * oldest first, through the real digest path (build, archive, "send" to the outbox): the archive
 * then holds the verdict history the portfolio's streaks read. Weeks already archived are kept.
 *
 * @example
 * ```ts
 * const weeks = await archivePastDigests({ client, tableName, catalog, nowMs: Date.now() });
 * ```
 */
export const archivePastDigests = async (
  options: Omit<LocalDigestOptions, 'week'> & { readonly nowMs: number },
): Promise<string[]> => {
  const weeks = weeksEndingWith(lastFullWeek(options.nowMs), DEMO_PAST_DIGEST_WEEKS + 1).slice(0, -1);
  for (const week of weeks) await runLocalDigest({ ...options, week });
  return weeks;
};
