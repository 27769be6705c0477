import type { LoadedCatalog } from '../catalog/load.ts';
import { YardstickError } from '../errors.ts';
import type { DigestArchive } from '../store/digest-archive.ts';
import type { MetricsStore } from '../store/port.ts';
import { isoWeekStart } from '../time.ts';
import { type ProducedDigest, produceDigest } from './produce.ts';
import { digestRecipients } from './recipients.ts';
import type { DigestSender, SendReport } from './sender.ts';
import { lastFullWeek } from './weeks.ts';

export interface DigestRunDependencies {
  readonly store: MetricsStore;
  readonly archive: DigestArchive;
  readonly sender: DigestSender;
  readonly catalog: LoadedCatalog;
}

export interface DigestRun {
  readonly digest: ProducedDigest;
  readonly recipients: readonly string[];
  readonly report: SendReport;
  /** True when the week had already been sent and nothing was sent again. */
  readonly alreadySent: boolean;
}

/** A week that has not ended yet cannot have a digest: its numbers would still change. */
export class WeekNotOverError extends YardstickError {
  constructor(week: string, endsAt: string) {
    super(`week ${week} has not ended yet (it ends ${endsAt}); digests cover full ISO weeks`);
  }
}

/**
 * Checks a week name and that the week is over at `nowMs`; throws RangeError or WeekNotOverError.
 *
 * @example
 * ```ts
 * assertFullWeek('2026-W47', Date.parse('2026-11-25T12:00:00Z')); // ok
 * ```
 */
export const assertFullWeek = (week: string, nowMs: number): void => {
  const endMs = isoWeekStart(week) + 7 * 86_400_000;
  if (endMs > nowMs) throw new WeekNotOverError(week, new Date(endMs).toISOString());
};

/**
 * Builds a week's digest (default: the last full week), archives it, sends it, then records who it
 * went to. Archiving before sending means a failed send still leaves the copy `GET /digest` serves.
 * A week already sent is not sent again unless `resend` is set: Lambda retries an asynchronous
 * invocation that failed after sending, and leadership should get one e-mail a week.
 *
 * @example
 * ```ts
 * const { digest, report } = await runDigest({ store, archive, sender, catalog }, { nowMs: Date.now() });
 * ```
 */
export const runDigest = async (
  deps: DigestRunDependencies,
  options: { readonly nowMs: number; readonly week?: string; readonly resend?: boolean },
): Promise<DigestRun> => {
  const week = options.week ?? lastFullWeek(options.nowMs);
  assertFullWeek(week, options.nowMs);
  const digest = await produceDigest(deps.store, deps.catalog, week, options.nowMs, deps.archive);
  const previous = options.resend ? undefined : await deps.archive.get(week);
  if (previous?.sentTo) {
    return { digest, recipients: previous.sentTo, report: { deliveries: [] }, alreadySent: true };
  }
  const stored = {
    week,
    generatedAt: digest.generatedAt,
    html: digest.html,
    text: digest.text,
    json: digest.json,
  };
  await deps.archive.put(stored);
  const recipients = digestRecipients(deps.catalog.catalog);
  const report = await deps.sender.send({ ...digest, recipients });
  if (recipients.length > 0) await deps.archive.put({ ...stored, sentTo: recipients });
  return { digest, recipients, report, alreadySent: false };
};
