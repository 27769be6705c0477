import type { DigestModel } from '../shared/digest/model.ts';
import { HTML_BUDGET_BYTES, renderDigestHtml } from '../shared/digest/render-html.ts';
import { syntheticDigest } from '../test/support/digest-fleet.ts';
import { renderDigestHtmlBeforeIssue12 } from './digest-render-baseline.ts';
import { writeSection } from './report-sections.ts';

/** The section's heading in BENCHMARKS.md; a standalone run replaces the section under it. */
export const DIGEST_RENDER_HEADING = '## Digest rendering';

/** Rounds per fleet size and renderer; the issue asks for at least 3. */
export const DIGEST_RENDER_ROUNDS = Number(process.env.BENCH_DIGEST_ROUNDS ?? 3);

/** Fleet sizes measured; the issue's table gives 250, 1,000 and 2,000. */
export const DIGEST_FLEET_SIZES = [250, 1000, 2000] as const;

interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface DigestRenderFigures {
  readonly workflows: number;
  readonly ms: { readonly today: Spread; readonly before: Spread };
  readonly bytes: { readonly today: number; readonly before: number };
}

const spread = (values: readonly number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0] ?? Number.NaN,
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
};

const timed = (render: (digest: DigestModel) => string, digest: DigestModel) => {
  const start = performance.now();
  const html = render(digest);
  return { ms: performance.now() - start, bytes: Buffer.byteLength(html) };
};

/**
 * Times today's HTML renderer against the one before issue 12 (bench/digest-render-baseline.ts) on
 * synthetic fleets built in memory (no DynamoDB), interleaved A B A B after one warm-up of each.
 *
 * @example
 * ```ts
 * const rows = benchDigestRender(3); // [{ workflows: 250, ms: { today, before }, bytes }, …]
 * ```
 */
export const benchDigestRender = (rounds: number): DigestRenderFigures[] =>
  DIGEST_FLEET_SIZES.map((workflows) => {
    const digest = syntheticDigest(workflows, { flaggedEvery: 100 });
    timed(renderDigestHtml, digest);
    timed(renderDigestHtmlBeforeIssue12, digest);
    const today: number[] = [];
    const before: number[] = [];
    let bytes = { today: 0, before: 0 };
    for (let round = 0; round < rounds; round++) {
      const a = timed(renderDigestHtml, digest);
      const b = timed(renderDigestHtmlBeforeIssue12, digest);
      today.push(a.ms);
      before.push(b.ms);
      bytes = { today: a.bytes, before: b.bytes };
    }
    return { workflows, ms: { today: spread(today), before: spread(before) }, bytes };
  });

const ms = ({ min, median, max }: Spread) =>
  `${median.toFixed(median < 100 ? 1 : 0)} ms (${min.toFixed(min < 100 ? 1 : 0)}–${max.toFixed(max < 100 ? 1 : 0)})`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * The "Digest rendering" section of BENCHMARKS.md, from the figures of {@link benchDigestRender}.
 *
 * @example
 * ```ts
 * console.log(digestRenderSection(benchDigestRender(3), 3));
 * ```
 */
export const digestRenderSection = (
  rows: readonly DigestRenderFigures[],
  rounds: number,
): string => `${DIGEST_RENDER_HEADING}

The e-mail HTML of the weekly digest for synthetic fleets (\`test/support/digest-fleet.ts\`: one
workflow in a hundred flagged, realistic names and figures, built with the real \`buildDigest\` in
memory, no DynamoDB), today's renderer against the one **before** issue 12, a copy kept in
\`bench/digest-render-baseline.ts\` that fitted the budget by re-rendering the whole document while
dropping one workflow at a time. ${rounds} rounds interleaved A B A B after one warm-up each, median
(min–max). The budget is ${kb(HTML_BUDGET_BYTES)} (Gmail clips at about 102 KB). Run alone with
\`npx tsx bench/digest-render-section.ts\`.

| workflows | today | before | speed-up | HTML today | HTML before |
|---:|---:|---:|---:|---:|---:|
${rows
  .map(
    (r) =>
      `| ${r.workflows.toLocaleString('en')} | ${ms(r.ms.today)} | ${ms(r.ms.before)} | ${(r.ms.before.median / r.ms.today.median).toFixed(0)}× | ${kb(r.bytes.today)} | ${kb(r.bytes.before)} |`,
  )
  .join('\n')}

Today's renderer sizes each card and compact row once and chooses on their byte sizes
(docs/digest.md, Large fleets); \`test/unit/digest-render-summary.test.ts\` holds the counts (two
document renders, each card and row at most once) without timing anything.
`;

if (process.argv[1]?.endsWith('digest-render-section.ts')) {
  const section = digestRenderSection(benchDigestRender(DIGEST_RENDER_ROUNDS), DIGEST_RENDER_ROUNDS);
  writeSection(DIGEST_RENDER_HEADING, section);
  console.log(section);
}
