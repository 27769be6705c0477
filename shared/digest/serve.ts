import type { LoadedCatalog } from '../catalog/load.ts';
import { readVerdictHistory } from '../portfolio/history.ts';
import { HISTORY_WEEKS } from '../portfolio/model.ts';
import type { DigestArchive } from '../store/digest-archive.ts';
import type { MetricsStore } from '../store/port.ts';
import { buildDigest } from './build.ts';
import { collectWorkflowWeeks } from './collect.ts';
import type { DigestModel } from './model.ts';
import { assertFullWeek } from './run.ts';

/** Where a served digest came from: the copy kept when it was sent, or built for this request. */
export type ServedDigest = DigestModel & {
  readonly served:
    | { readonly from: 'archive'; readonly archivedAt: string; readonly sentTo: readonly string[] }
    | { readonly from: 'built-on-demand'; readonly note: string };
};

/**
 * The digest JSON of a full week for `GET /digest`: the archived copy when there is one (what was
 * sent), else built now from the aggregates, saying so.
 *
 * @example
 * ```ts
 * const digest = await serveDigest({ store, catalog, archive }, '2026-W47', Date.now());
 * digest.served.from; // 'archive'
 * ```
 */
export const serveDigest = async (
  deps: { readonly store: MetricsStore; readonly catalog: LoadedCatalog; readonly archive?: DigestArchive },
  week: string,
  nowMs: number,
): Promise<ServedDigest> => {
  assertFullWeek(week, nowMs);
  const stored = await deps.archive?.get(week);
  if (stored) {
    const model = JSON.parse(stored.json) as DigestModel;
    return {
      ...model,
      served: { from: 'archive', archivedAt: stored.generatedAt, sentTo: stored.sentTo ?? [] },
    };
  }
  const model = await buildDigestNow(deps, week, nowMs);
  return {
    ...model,
    served: {
      from: 'built-on-demand',
      note: `No stored digest for ${week}: built now from the current aggregates and catalog, so it may differ from anything sent that week.`,
    },
  };
};

/**
 * A week's digest model built now from the aggregates, with the archived verdicts of the weeks
 * before for the portfolio's streaks.
 */
export const buildDigestNow = async (
  deps: { readonly store: MetricsStore; readonly catalog: LoadedCatalog; readonly archive?: DigestArchive },
  week: string,
  nowMs: number,
): Promise<DigestModel> => {
  const [workflows, history] = await Promise.all([
    collectWorkflowWeeks(deps.store, deps.catalog, week),
    deps.archive ? readVerdictHistory(deps.archive, week, HISTORY_WEEKS - 1) : undefined,
  ]);
  return buildDigest({
    week,
    generatedAt: new Date(nowMs).toISOString(),
    catalog: deps.catalog,
    workflows,
    ...(history ? { history } : {}),
  });
};
