import { formatNet } from '../format/figures.ts';
import { VERDICT_INFO, type VerdictName } from '../verdicts/verdict.ts';
import { badge, bar, escapeHtml as e, FONT, INK, MUTED, TABLE } from './html-parts.ts';
import { portfolioHtml } from './html-portfolio.ts';
import { clipNote } from './html-summary.ts';
import type { DigestModel } from './model.ts';
import { fleetRows, lacksValueData, periodText } from './present.ts';

const section = (content: string, padding = '10px 16px') =>
  `<tr><td style="padding:${padding}">${content}</td></tr>`;
const heading = (text: string) => `<h2 style="margin:8px 0;font-size:16px;line-height:22px">${e(text)}</h2>`;

// Figures never break inside (word-break and overflow-wrap are reset), but a lower bound may wrap
// after its "≥", so a seven-digit fleet still fits a 320 px phone.
const fleetTable = (digest: DigestModel) => {
  const th = (text: string) =>
    `<th align="right" style="font-weight:normal;color:${MUTED};font-size:12px">${e(text)}</th>`;
  const rows = fleetRows(digest).map(
    ([label, current, previous, change], index) =>
      `<tr${index === 0 ? ' style="font-weight:bold"' : ''}><td>${e(label)}</td><td align="right">${e(current)}</td><td align="right" style="color:${MUTED}">${e(previous)}</td><td align="right" style="white-space:nowrap">${e(change)}</td></tr>`,
  );
  return `<table ${TABLE.replace('cellpadding="0"', 'cellpadding="3"')} id="fleet" style="font-size:13px;word-break:normal;overflow-wrap:normal"><tr><th></th>${th(digest.week)}${th(digest.previousWeek)}${th('change')}</tr>${rows.join('')}</table>`;
};

const verdictChips = (digest: DigestModel) =>
  Object.entries(digest.verdictCounts)
    .filter(([, count]) => count > 0)
    .map(
      ([verdict, count]) =>
        `<span style="white-space:nowrap;margin-right:10px">${badge(verdict as VerdictName, VERDICT_INFO[verdict as VerdictName].label)} × ${count}</span> `,
    )
    .join('');

// Net value per workflow, this week over last, on one scale so bars compare across rows. A workflow
// whose net value is unknown (no value data, or value and cost both incomplete) gets no bar.
const netValueChart = (digest: DigestModel) => {
  const nets = digest.workflows.flatMap((w) => [w.current.netValueUsd, w.previous.netValueUsd]);
  const max = Math.max(1e-9, ...nets.map((net) => Math.abs(net ?? 0)));
  const netBar = (net: number | null, colour: string, height: number) =>
    net === null ? '' : bar(Math.abs(net) / max, colour, height);
  const rows = digest.workflows.map((w) => {
    const current = w.current.netValueUsd;
    const bars =
      current === null
        ? `<div style="font-size:12px;color:${MUTED}">${lacksValueData(w) ? 'no value data' : 'value and cost incomplete'}</div>`
        : `${netBar(current, current < 0 ? '#b91c1c' : '#15803d', 12)}<div style="height:2px;font-size:0;line-height:0">&nbsp;</div>${netBar(w.previous.netValueUsd, '#9ca3af', 4)}`;
    return `<tr><td style="padding:4px 0"><table ${TABLE} style="font-size:13px"><tr><td>${e(w.name)}</td><td align="right" style="white-space:nowrap"><b>${e(formatNet(w.current))}</b></td></tr></table>${bars}</td></tr>`;
  });
  return `<table ${TABLE} id="net-value-chart">${rows.join('')}</table><div style="font-size:12px;color:${MUTED};margin-top:4px">Thick bar: ${e(digest.week)}; thin grey bar: ${e(digest.previousWeek)}; red: value below cost.</div>`;
};

/**
 * The "Net value by workflow" section: one bar pair per workflow, so only for fleets whose cards fit.
 *
 * @example
 * ```ts
 * const chart = netValueSection(digest); // '<tr><td …><h2 …>Net value by workflow</h2><table … id="net-value-chart">…'
 * ```
 */
export const netValueSection = (digest: DigestModel): string =>
  digest.workflows.length > 0 ? section(`${heading('Net value by workflow')}${netValueChart(digest)}`) : '';

const list = (items: readonly string[]) =>
  `<ul style="margin:0;padding:0 0 0 18px;font-size:13px;line-height:18px">${items.map((item) => `<li style="margin:0 0 6px">${item}</li>`).join('')}</ul>`;

/** The parts of the document that depend on the fleet's size, rendered by the caller. */
export interface DocumentSections {
  /** The net value chart's section, or ''. */
  readonly chart: string;
  /** The content of the "Workflows" section. */
  readonly workflows: string;
}

/**
 * The whole e-mail document around the sections that grow with the fleet; everything else in it is
 * bounded (notes are cut by {@link clipNote}), so its size without the sections is the fixed cost.
 *
 * @example
 * ```ts
 * const shellBytes = Buffer.byteLength(documentHtml(digest, { chart: '', workflows: '' }));
 * ```
 */
export const documentHtml = (digest: DigestModel, sections: DocumentSections): string => {
  const body = [
    section(
      `<div style="font-size:12px;color:${MUTED};text-transform:uppercase">Yardstick · weekly value digest</div><h1 style="margin:4px 0 0;font-size:24px;line-height:30px">${e(digest.week)}</h1><div style="font-size:13px;color:${MUTED}">${e(periodText(digest))}, compared with ${e(digest.previousWeek)}</div>`,
      '18px 16px 4px',
    ),
    section(`<p id="headline" style="margin:0;font-size:16px;line-height:23px">${e(digest.headline)}</p>`),
    section(`<div style="line-height:26px">${verdictChips(digest)}</div>`, '4px 16px'),
    // The portfolio first (docs/portfolio.md): bounded (html-portfolio.ts), so it is part of the fixed size.
    section(`${heading('Portfolio')}${portfolioHtml(digest.portfolio)}`),
    section(`${heading('Fleet')}${fleetTable(digest)}`),
    sections.chart,
    section(`${heading('Workflows')}${sections.workflows}`),
    section(
      `${heading('Where the numbers come from')}${list(digest.notes.map((note) => e(clipNote(note))))}`,
    ),
    section(
      `${heading('Verdicts')}${list(Object.entries(VERDICT_INFO).map(([verdict, info]) => `${badge(verdict as VerdictName, info.label)} ${e(info.action)}`))}`,
    ),
    section(
      `<div style="font-size:12px;color:${MUTED}">Generated ${e(digest.generatedAt)} from ${e(digest.catalog)}. Money in USD; weeks are ISO weeks in UTC.</div>`,
      '8px 16px 18px',
    ),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light"><title>${e(`Yardstick weekly value digest ${digest.week}`)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<div style="display:none;max-height:0;overflow:hidden">${e(digest.headline)}</div>
<table ${TABLE} style="background:#f3f4f6"><tr><td align="center" style="padding:12px 4px">
<table ${TABLE} style="max-width:640px;background:#fff;border-radius:8px;${FONT};color:${INK};word-break:break-word;overflow-wrap:anywhere">
${body}
</table>
</td></tr></table>
</body></html>
`;
};
