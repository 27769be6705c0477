import { workflowCard } from './html-card.ts';
import { type DocumentSections, documentHtml, netValueSection } from './html-document.ts';
import { compactRow, compactTable, moreLine, summaryIntro } from './html-summary.ts';
import type { DigestModel, DigestWorkflow } from './model.ts';
import { isFlagged, summariseWorkflows } from './summarise.ts';

/** Gmail clips messages above about 102 KB; stay clear of it. */
export const HTML_BUDGET_BYTES = 96 * 1024;

/** What the renderer is assembled from; tests wrap these to count how often each runs. */
export interface DigestHtmlParts {
  /** One workflow in full. */
  readonly card: (w: DigestWorkflow) => string;
  /** One workflow as a row of the compact table. */
  readonly row: (w: DigestWorkflow) => string;
  /** The whole document around the sections that grow with the fleet. */
  readonly document: (digest: DigestModel, sections: DocumentSections) => string;
}

export const DIGEST_HTML_PARTS: DigestHtmlParts = {
  card: workflowCard,
  row: compactRow,
  document: documentHtml,
};

const bytes = (html: string) => Buffer.byteLength(html);

// Renders each workflow's card or row at most once, however often its size is asked for.
const once = (render: (w: DigestWorkflow) => string) => {
  const rendered = new Map<DigestWorkflow, string>();
  return (w: DigestWorkflow) => {
    const known = rendered.get(w);
    if (known !== undefined) return known;
    const html = render(w);
    rendered.set(w, html);
    return html;
  };
};

/**
 * A digest HTML renderer from its parts, within `budgetBytes`. Every workflow in full with the net
 * value chart when that fits; otherwise the flagged workflows and the largest in full, the rest in a
 * compact table, and those that do not fit counted with a pointer to the text and JSON digests.
 * Linear in the fleet: the document is rendered twice (once empty, to learn its fixed size), each card
 * and row at most once, and the choice between them is made on their byte sizes.
 *
 * @example
 * ```ts
 * const render = createDigestHtmlRenderer({ ...DIGEST_HTML_PARTS, card: countingCard });
 * const html = render(digest);
 * ```
 */
export const createDigestHtmlRenderer =
  (parts: DigestHtmlParts = DIGEST_HTML_PARTS, budgetBytes = HTML_BUDGET_BYTES) =>
  (digest: DigestModel): string => {
    const card = once(parts.card);
    const row = once(parts.row);
    const { workflows, week } = digest;
    const shell = bytes(parts.document(digest, { chart: '', workflows: '' }));
    // Every card, stopping at the first that would overflow: a large fleet costs few renders here.
    let full = shell;
    for (const w of workflows) {
      full += bytes(card(w));
      if (full > budgetBytes) break;
    }
    if (full <= budgetBytes) {
      const chart = netValueSection(digest);
      if (full + bytes(chart) <= budgetBytes)
        return parts.document(digest, { chart, workflows: workflows.map(card).join('') });
    }
    // Space for the summary's own lines, sized for the largest counts they can show.
    const n = workflows.length;
    const frame = bytes(summaryIntro(digest, n, n)) + bytes(compactTable('\n')) + bytes(moreLine(week, n, n));
    const summary = summariseWorkflows({
      workflows,
      budgetBytes: budgetBytes - shell - frame,
      cardBytes: (w) => bytes(card(w)),
      rowBytes: (w) => bytes(row(w)),
    });
    const shown = new Set([...summary.cards, ...summary.rows]);
    const flaggedLeft = workflows.filter((w) => !shown.has(w) && isFlagged(w)).length;
    const content = [
      summaryIntro(digest, summary.cards.length, summary.rows.length),
      summary.cards.map(card).join(''),
      compactTable(summary.rows.map(row).join('')),
      moreLine(week, summary.more, flaggedLeft),
    ].join('');
    return parts.document(digest, { chart: '', workflows: content });
  };

/**
 * The digest as an e-mail body: one self-contained HTML document with inline CSS only, no scripts,
 * images or external assets, and charts drawn with table cells, which every mail client renders.
 * Fluid up to 640 px wide, and under {@link HTML_BUDGET_BYTES} (Gmail's clipping size) for any fleet:
 * a large one is summarised (docs/digest.md, Large fleets), while the text and JSON keep every workflow.
 *
 * @example
 * ```ts
 * await sender.send({ html: renderDigestHtml(digest), … });
 * ```
 */
export const renderDigestHtml: (digest: DigestModel) => string = createDigestHtmlRenderer();
