import { formatCost, formatValue } from '../format/figures.ts';
import { formatCount, plural } from '../format/rates.ts';
import { escapeHtml as e, MUTED, TABLE, VERDICT_COLOURS } from './html-parts.ts';
import type { DigestModel, DigestWorkflow } from './model.ts';
import { roiText } from './present.ts';

/**
 * A workflow in one short table row: name and verdict (under the name, so that five columns fit a
 * 320 px phone), runs, value, AI cost, ROI. Rows of a large fleet add up, so every byte counts: the
 * table sets the font, right alignment and no breaks inside numbers once for all of them.
 *
 * @example
 * ```ts
 * compactRow(w); // '<tr><td align="left">Invoice triage<br><span style="color:#15803d">Scale</span></td><td>740</td>…'
 * ```
 */
export const compactRow = (w: DigestWorkflow): string => {
  const f = w.current;
  return `<tr><td align="left">${e(w.name)}<br><span style="color:${VERDICT_COLOURS[w.verdict]}">${e(w.verdictLabel)}</span></td><td>${formatCount(f.runs)}</td><td>${e(formatValue(f))}</td><td>${e(formatCost(f))}</td><td>${e(roiText(f))}</td></tr>\n`;
};

const th = (text: string, align = 'right') => `<th align="${align}" style="font-weight:normal">${text}</th>`;

/**
 * The compact table around its rows; with no rows, nothing.
 *
 * @example
 * ```ts
 * compactTable(rows.map(compactRow).join('')); // '<table … id="compact-workflows" …>'
 * ```
 */
export const compactTable = (rowsHtml: string): string =>
  rowsHtml === ''
    ? ''
    : `<table ${TABLE.replace('cellpadding="0"', 'cellpadding="3"')} id="compact-workflows" style="font-size:12px;line-height:16px;text-align:right;word-break:normal;overflow-wrap:normal"><tr style="color:${MUTED}">${th('Workflow, verdict', 'left')}${th('Runs')}${th('Value')}${th('AI cost')}${th('ROI')}</tr>\n${rowsHtml}</table>`;

/** What a summarised list says before the cards: how many are in full, in the table, and where the rest are. */
export const summaryIntro = (digest: DigestModel, cards: number, rows: number): string =>
  `<p style="margin:0 0 10px;font-size:13px;line-height:18px">${e(`${plural(digest.workflows.length, 'workflow')}: ${formatCount(cards)} in full (first those whose verdict is stop, fix or stalled or that miss a target, then the largest by value or cost), ${formatCount(rows)} in the table below. Every workflow is in full in the text and JSON digests.`)}</p>`;

/**
 * The line that counts the workflows left out of the e-mail, saying how many of them are flagged;
 * empty when none are left out.
 *
 * @example
 * ```ts
 * moreLine('2026-W47', 1500, 0); // '<p …>1,500 more workflows are in the text and JSON digests (GET /digest?week=2026-W47).</p>'
 * ```
 */
export const moreLine = (week: string, more: number, flagged: number): string =>
  more === 0
    ? ''
    : `<p id="more-workflows" style="margin:10px 0 0;font-size:13px">${e(
        `${plural(more, 'more workflow')} ${more === 1 ? 'is' : 'are'} in the text and JSON digests (GET /digest?week=${week})${flagged > 0 ? `, ${formatCount(flagged)} of them flagged` : ''}.`,
      )}</p>`;

/** Notes longer than this are cut in the e-mail: their lists of workflows grow with the fleet. */
export const NOTE_MAX_CHARS = 1_200;

/**
 * A note cut to {@link NOTE_MAX_CHARS} at the last list separator, saying where the whole note is.
 *
 * @example
 * ```ts
 * clipNote(`Not in the catalog, measured anyway: ${ids.join(', ')}.`); // 'Not in the catalog, … wf-00140, … (cut here; the whole note is in the text and JSON digests)'
 * ```
 */
export const clipNote = (note: string, maxChars = NOTE_MAX_CHARS): string => {
  if (note.length <= maxChars) return note;
  const cut = note.lastIndexOf(', ', maxChars);
  return `${note.slice(0, cut > 0 ? cut : maxChars)}, … (cut here; the whole note is in the text and JSON digests)`;
};
