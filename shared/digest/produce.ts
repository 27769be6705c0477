import type { LoadedCatalog } from '../catalog/load.ts';
import type { MetricsStore } from '../store/port.ts';

/** A built digest in every format. */
export interface ProducedDigest {
  readonly week: string;
  readonly generatedAt: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly json: string;
}

/** Reads the week's aggregates and renders the digest (placeholder until the builder lands). */
export const produceDigest = async (
  _store: MetricsStore,
  _catalog: LoadedCatalog,
  week: string,
  nowMs: number,
): Promise<ProducedDigest> => ({
  week,
  generatedAt: new Date(nowMs).toISOString(),
  subject: `Yardstick weekly digest ${week}`,
  html: '<p>pending</p>',
  text: 'pending',
  json: '{}',
});
