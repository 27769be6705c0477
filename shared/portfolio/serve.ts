import type { LoadedCatalog } from '../catalog/load.ts';
import { buildDigestNow, type ServedDigest, serveDigest } from '../digest/serve.ts';
import type { DigestArchive } from '../store/digest-archive.ts';
import type { MetricsStore } from '../store/port.ts';
import type { Portfolio } from './model.ts';

/** The portfolio of a week for `GET /portfolio`, saying where it came from as `GET /digest` does. */
export type ServedPortfolio = Portfolio & { readonly served: ServedDigest['served'] };

/**
 * The portfolio of a full week: from the archived digest when there is one (what leadership was
 * sent), else built now from the aggregates and the archived verdicts of the weeks before. A digest
 * archived before the portfolio existed has none: it is then built now, and says so.
 *
 * @example
 * ```ts
 * const portfolio = await servePortfolio({ store, catalog, archive }, '2026-W47', Date.now());
 * portfolio.totals.runs;
 * ```
 */
export const servePortfolio = async (
  deps: { readonly store: MetricsStore; readonly catalog: LoadedCatalog; readonly archive?: DigestArchive },
  week: string,
  nowMs: number,
): Promise<ServedPortfolio> => {
  const digest = await serveDigest(deps, week, nowMs);
  if (digest.portfolio) return { ...digest.portfolio, served: digest.served };
  const built = await buildDigestNow(deps, week, nowMs);
  return {
    ...built.portfolio,
    served: {
      from: 'built-on-demand',
      note: `The digest archived for ${week} predates the portfolio: built now from the current aggregates and catalog.`,
    },
  };
};
