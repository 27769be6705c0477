import type { LoadedCatalog } from '../catalog/load.ts';
import { formatNet } from '../format/figures.ts';
import { readVerdictHistory } from '../portfolio/history.ts';
import { HISTORY_WEEKS } from '../portfolio/model.ts';
import type { DigestArchive } from '../store/digest-archive.ts';
import type { MetricsStore } from '../store/port.ts';
import { buildDigest } from './build.ts';
import { collectWorkflowWeeks } from './collect.ts';
import type { DigestModel } from './model.ts';
import { verdictSummary } from './notes.ts';
import { renderDigestHtml } from './render-html.ts';
import { renderDigestJson } from './render-json.ts';
import { renderDigestText } from './render-text.ts';

/** A built digest in every format, ready to archive and send. */
export interface ProducedDigest {
  readonly week: string;
  readonly generatedAt: string;
  readonly subject: string;
  readonly model: DigestModel;
  readonly html: string;
  readonly text: string;
  readonly json: string;
}

/** `Yardstick 2026-W47: net value $3,501.10 · 1 to scale, 2 to fix` */
export const digestSubject = (digest: DigestModel): string =>
  `Yardstick ${digest.week}: net value ${formatNet(digest.fleet.current)} · ${verdictSummary(digest.verdictCounts) || 'no workflows'}`;

/** Renders a digest model in every format. */
export const renderDigest = (model: DigestModel): ProducedDigest => ({
  week: model.week,
  generatedAt: model.generatedAt,
  subject: digestSubject(model),
  model,
  html: renderDigestHtml(model),
  text: renderDigestText(model),
  json: renderDigestJson(model),
});

/**
 * Reads the week's aggregates and, given the archive, the verdicts of the weeks before (for the
 * portfolio's streaks), builds the digest and renders it.
 *
 * @example
 * ```ts
 * const digest = await produceDigest(store, catalog, '2026-W47', Date.now());
 * console.log(digest.text);
 * ```
 */
export const produceDigest = async (
  store: MetricsStore,
  catalog: LoadedCatalog,
  week: string,
  nowMs: number,
  archive?: DigestArchive,
): Promise<ProducedDigest> => {
  const [workflows, history] = await Promise.all([
    collectWorkflowWeeks(store, catalog, week),
    archive ? readVerdictHistory(archive, week, HISTORY_WEEKS - 1) : undefined,
  ]);
  return renderDigest(
    buildDigest({
      week,
      generatedAt: new Date(nowMs).toISOString(),
      catalog,
      workflows,
      ...(history ? { history } : {}),
    }),
  );
};
