import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { LoadedCatalog } from '../../shared/catalog/load.ts';
import { produceDigest } from '../../shared/digest/produce.ts';
import { digestRecipients } from '../../shared/digest/recipients.ts';
import type { DigestSender } from '../../shared/digest/sender.ts';
import { lastFullWeek } from '../../shared/digest/weeks.ts';
import type { DigestArchive } from '../../shared/store/digest-archive.ts';
import type { MetricsStore } from '../../shared/store/port.ts';
import { isoWeekStart } from '../../shared/time.ts';

export interface DigestDependencies {
  readonly store: MetricsStore;
  readonly archive: DigestArchive;
  readonly sender: DigestSender;
  readonly catalog: LoadedCatalog;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** The scheduled event, or a manual invocation naming a week to rebuild and resend. */
export interface DigestInvocation {
  readonly week?: string;
}

export interface DigestResult {
  readonly week: string;
  readonly recipients: number;
  readonly deliveries: readonly string[];
}

/**
 * Builds the digest function: last full ISO week (UTC) from the stored aggregates, kept in the
 * archive, then sent. Archiving first means a failed send still leaves the copy `GET /digest` shows.
 *
 * @example
 * ```ts
 * const handler = createDigestHandler({ store, archive, sender, catalog, logger });
 * await handler({}, context); // { week: '2026-W47', recipients: 3, deliveries: [...] }
 * ```
 */
export const createDigestHandler = (deps: DigestDependencies) => {
  const now = deps.now ?? Date.now;
  const lambdaHandler = async (
    event: DigestInvocation | undefined,
    _context: Context,
  ): Promise<DigestResult> => {
    const nowMs = now();
    const week = typeof event?.week === 'string' ? event.week : lastFullWeek(nowMs);
    isoWeekStart(week); // a malformed manual week fails here, before anything is written
    const digest = await produceDigest(deps.store, deps.catalog, week, nowMs);
    const recipients = digestRecipients(deps.catalog.catalog);
    await deps.archive.put({ ...digest, sentTo: recipients });
    if (recipients.length === 0) deps.logger.warn('digest has no recipients; archived only', { week });
    const report = await deps.sender.send({ ...digest, recipients });
    deps.logger.info('digest sent', {
      week,
      recipients: recipients.length,
      deliveries: report.deliveries.length,
    });
    return { week, recipients: recipients.length, deliveries: report.deliveries };
  };
  return middy(lambdaHandler).use(injectLambdaContext(deps.logger));
};
