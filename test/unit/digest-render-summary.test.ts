import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../shared/digest/html-parts.ts';
import { clipNote, NOTE_MAX_CHARS } from '../../shared/digest/html-summary.ts';
import type { DigestModel, DigestWorkflow } from '../../shared/digest/model.ts';
import {
  createDigestHtmlRenderer,
  DIGEST_HTML_PARTS,
  type DigestHtmlParts,
  HTML_BUDGET_BYTES,
} from '../../shared/digest/render-html.ts';
import { isFlagged } from '../../shared/digest/summarise.ts';
import { syntheticDigest } from '../support/digest-fleet.ts';

// The real parts, wrapped to count how often each runs and for which workflow.
const countingParts = () => {
  const calls = { document: 0, card: new Map<string, number>(), row: new Map<string, number>() };
  const counted =
    (map: Map<string, number>, render: (w: DigestWorkflow) => string) =>
    (w: DigestWorkflow): string => {
      map.set(w.workflowId, (map.get(w.workflowId) ?? 0) + 1);
      return render(w);
    };
  const parts: DigestHtmlParts = {
    card: counted(calls.card, DIGEST_HTML_PARTS.card),
    row: counted(calls.row, DIGEST_HTML_PARTS.row),
    document: (digest, sections) => {
      calls.document++;
      return DIGEST_HTML_PARTS.document(digest, sections);
    },
  };
  return { calls, parts };
};

const renderCounting = (digest: DigestModel) => {
  const { calls, parts } = countingParts();
  const html = createDigestHtmlRenderer(parts)(digest);
  return { html, calls };
};

const cardsIn = (html: string) => new Set([...html.matchAll(/id="workflow-([^"]+)"/g)].map((m) => m[1]));
const rowsIn = (html: string, digest: DigestModel) =>
  digest.workflows.filter((w) => html.includes(`<td align="left">${escapeHtml(w.name)}<br>`));
const moreIn = (html: string) =>
  Number(html.match(/([\d,]+) more workflows? (is|are) in/)?.[1]?.replace(/,/g, '') ?? 0);

describe('renderDigestHtml for a large fleet', () => {
  it('keeps 2,000 workflows under the budget, every flagged one in full and none lost', () => {
    // Prepare
    const digest = syntheticDigest(2000, { flaggedEvery: 100 });
    const flagged = digest.workflows.filter(isFlagged).map((w) => w.workflowId);

    // Act
    const { html } = renderCounting(digest);

    // Assess
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(flagged).toHaveLength(20);
    const cards = cardsIn(html);
    for (const id of flagged) expect(cards.has(id), id).toBe(true);
    const rows = rowsIn(html, digest);
    expect(rows.filter((w) => cards.has(w.workflowId))).toEqual([]);
    expect(rows.length).toBeGreaterThan(100);
    expect(cards.size + rows.length + moreIn(html)).toBe(2000);
    expect(html).toContain('id="compact-workflows"');
    expect(html).not.toContain('id="net-value-chart"');
  });

  it('renders the document twice and each card and row at most once, whatever the fleet size', () => {
    // Prepare
    const fleets = [1000, 2000].map((size) => syntheticDigest(size, { flaggedEvery: 100 }));

    // Act
    const runs = fleets.map((digest) => renderCounting(digest).calls);

    // Assess
    for (const [i, calls] of runs.entries()) {
      expect(calls.document, `fleet ${i}`).toBe(2);
      expect(Math.max(...calls.card.values())).toBe(1);
      expect(Math.max(...calls.row.values())).toBe(1);
    }
    // Cards tried: the flagged ones and the ten largest others, plus the first few of the full attempt.
    const [small, large] = runs.map((calls) => calls.card.size) as [number, number];
    expect(large).toBeLessThanOrEqual(small + 10 + 20);
  });

  it('shows the most urgent flagged workflows in full and the rest of them first in the table when they cannot all fit', () => {
    // Prepare: one in five flagged, 400 in all, far more than fit in full
    const digest = syntheticDigest(2000, { flaggedEvery: 5 });
    const flagged = digest.workflows.filter(isFlagged);

    // Act
    const { html } = renderCounting(digest);

    // Assess
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    const cards = cardsIn(html);
    expect(cards.size).toBeGreaterThan(5);
    expect(digest.workflows.filter((w) => cards.has(w.workflowId)).every(isFlagged)).toBe(true);
    expect(flagged.filter((w) => cards.has(w.workflowId)).some((w) => w.verdict === 'stop')).toBe(true);
    const rows = rowsIn(html, digest);
    expect(rows.every(isFlagged)).toBe(true);
    const left = flagged.length - cards.size - rows.length;
    expect(left).toBeGreaterThan(0);
    expect(html).toContain(`, ${left} of them flagged.`);
    expect(cards.size + rows.length + moreIn(html)).toBe(2000);
  });

  it('keeps every workflow in full with the chart when they fit', () => {
    // Prepare
    const digest = syntheticDigest(12, { flaggedEvery: 4 });

    // Act
    const { html, calls } = renderCounting(digest);

    // Assess
    expect(cardsIn(html).size).toBe(12);
    expect(html).toContain('id="net-value-chart"');
    expect(html).not.toContain('id="compact-workflows"');
    expect(calls.row.size).toBe(0);
  });
});

describe('clipNote', () => {
  it('cuts a note that lists a large fleet at a list separator and says where the whole note is', () => {
    // Prepare
    const ids = Array.from({ length: 500 }, (_, i) => `wf-${String(i).padStart(5, '0')}`);
    const note = `Not in the catalog, measured anyway: ${ids.join(', ')}.`;

    // Act
    const clipped = clipNote(note);

    // Assess
    expect(clipped.length).toBeLessThan(NOTE_MAX_CHARS + 100);
    expect(clipped).toMatch(/wf-\d{5}, … \(cut here; the whole note is in the text and JSON digests\)$/);
    expect(clipNote('Short note.')).toBe('Short note.');
  });
});
