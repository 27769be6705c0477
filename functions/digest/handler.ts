import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type DigestRunDependencies, runDigest } from '../../shared/digest/run.ts';

export interface DigestDependencies extends DigestRunDependencies {
  readonly logger: Logger;
  readonly now?: () => number;
}

/** The scheduled event, or a manual invocation naming a week to rebuild and resend. */
export interface DigestInvocation {
  readonly week?: string;
  /** Send again a week that was already sent (e.g. after fixing a recipient list). */
  readonly resend?: boolean;
}

export interface DigestResult {
  readonly week: string;
  readonly subject: string;
  readonly recipients: number;
  readonly deliveries: readonly string[];
}

/**
 * Builds the digest function: the last full ISO week (UTC) from the stored aggregates, archived, then
 * sent. A manual invocation with `{ "week": "2026-W47" }` rebuilds and resends that week.
 *
 * @example
 * ```ts
 * const handler = createDigestHandler({ store, archive, sender, catalog, logger });
 * await handler({}, context); // { week: '2026-W47', recipients: 3, … }
 * ```
 */
export const createDigestHandler = (deps: DigestDependencies) => {
  const now = deps.now ?? Date.now;
  const lambdaHandler = async (
    event: DigestInvocation | undefined,
    _context: Context,
  ): Promise<DigestResult> => {
    // Scheduled EventBridge events carry their own fields; only an explicit string week is an override.
    const week = typeof event?.week === 'string' ? event.week : undefined;
    const resend = event?.resend === true;
    const { digest, recipients, report, alreadySent } = await runDigest(deps, {
      nowMs: now(),
      resend,
      ...(week ? { week } : {}),
    });
    if (alreadySent)
      deps.logger.info('digest already sent for this week; not sent again', { week: digest.week });
    else if (recipients.length === 0)
      deps.logger.warn('digest has no recipients; archived only', { week: digest.week });
    deps.logger.info('digest sent', {
      week: digest.week,
      recipients: recipients.length,
      messages: report.deliveries.length,
      verdicts: digest.model.verdictCounts,
    });
    return {
      week: digest.week,
      subject: digest.subject,
      recipients: recipients.length,
      deliveries: report.deliveries,
    };
  };
  return middy(lambdaHandler).use(injectLambdaContext(deps.logger));
};
