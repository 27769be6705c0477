// The digest's HTML renderer as it was before issue 12 (commit dd50f38), kept in bench/ only so that
// `npm run bench` can time today's renderer against it in the same run. It fits the e-mail to
// HTML_BUDGET_BYTES by re-rendering the whole document while dropping one workflow at a time, which
// is quadratic in the fleet's size. Not used by any function; do not fix it here.

import {
  badge,
  bar,
  escapeHtml as e,
  FONT,
  INK,
  intervalBar,
  MUTED,
  VERDICT_COLOURS,
} from '../shared/digest/html-parts.ts';
import type { DigestModel, DigestWorkflow } from '../shared/digest/model.ts';
import {
  acceptanceLine,
  costText,
  fleetRows,
  hoursText,
  lacksValueData,
  metaText,
  netAndRoiText,
  overrideLine,
  periodText,
  reasonsText,
  runsText,
  valueText,
} from '../shared/digest/present.ts';
import { HTML_BUDGET_BYTES } from '../shared/digest/render-html.ts';
import { formatNet } from '../shared/format/figures.ts';
import { formatCount } from '../shared/format/rates.ts';
import { VERDICT_INFO, type VerdictName } from '../shared/verdicts/verdict.ts';

const TABLE = 'role="presentation" width="100%" cellpadding="0" cellspacing="0"';
const section = (content: string, padding = '10px 16px') =>
  `<tr><td style="padding:${padding}">${content}</td></tr>`;
const heading = (text: string) => `<h2 style="margin:8px 0;font-size:16px;line-height:22px">${e(text)}</h2>`;

const fleetTable = (digest: DigestModel) => {
  const th = (text: string) =>
    `<th align="right" style="font-weight:normal;color:${MUTED};font-size:12px">${e(text)}</th>`;
  const rows = fleetRows(digest).map(
    ([label, current, previous, change], index) =>
      `<tr${index === 0 ? ' style="font-weight:bold"' : ''}><td>${e(label)}</td><td align="right" style="white-space:nowrap">${e(current)}</td><td align="right" style="white-space:nowrap;color:${MUTED}">${e(previous)}</td><td align="right" style="white-space:nowrap">${e(change)}</td></tr>`,
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

// With table-layout:fixed the first row sets the column widths; later rows need none.
const figure = (label: string, value: string, extra = '') =>
  `<tr valign="top"><td style="color:${MUTED}">${e(label)}</td><td>${e(value)}${extra}</td></tr>`;
const FIGURE_COLUMNS = '<col width="30%"><col width="70%">';

const rateBar = (low: number | null, high: number | null, colour: string, light: string) =>
  low === null || high === null ? '' : intervalBar(low, high, colour, light);

const cardHead = (w: DigestWorkflow) =>
  `${badge(w.verdict, w.verdictLabel)} <b style="font-size:15px">${e(w.name)}</b><div style="font-size:12px;color:${MUTED}">${e(w.name === w.workflowId ? metaText(w) : `${w.workflowId} · ${metaText(w)}`)}</div><p style="margin:6px 0;font-size:14px;line-height:20px">${e(w.reason)}</p>`;

const workflowCard = (w: DigestWorkflow) => {
  const f = w.current;
  const rows = [
    figure('Runs', runsText(w)),
    figure('Value', valueText(w)),
    figure('AI cost', costText(f)),
    figure('Net, ROI', netAndRoiText(w)),
    figure('Hours saved', hoursText(f)),
    ...(w.variants?.lines ?? []).map((line) => figure('Measured', line)),
  ];
  if (f.reviews > 0) {
    rows.push(
      figure(
        'Acceptance',
        acceptanceLine(w),
        rateBar(f.acceptanceRateLow95, f.acceptanceRateHigh95, '#15803d', '#86efac'),
      ),
      figure(
        'Overrides',
        overrideLine(w),
        rateBar(f.overrideRateLow95, f.overrideRateHigh95, '#b45309', '#fcd34d'),
      ),
      figure('Reviews', formatCount(f.reviews)),
    );
    if (f.topOverrideReasons.length > 0) rows.push(figure('Override reasons', reasonsText(f)));
  }
  return `<table ${TABLE} id="workflow-${e(w.workflowId)}" style="margin:0 0 14px;border:1px solid #e5e7eb;border-left:4px solid ${VERDICT_COLOURS[w.verdict]}"><tr><td style="padding:10px 12px">${cardHead(w)}<table ${TABLE.replace('cellpadding="0"', 'cellpadding="2"')} style="font-size:13px;line-height:18px;table-layout:fixed">${FIGURE_COLUMNS}${rows.join('')}</table></td></tr></table>\n`;
};

// For large fleets: verdict, reason and the key figures in one paragraph per workflow.
const workflowLine = (w: DigestWorkflow) =>
  `<div id="workflow-${e(w.workflowId)}" style="margin:0 0 12px;padding-left:8px;border-left:4px solid ${VERDICT_COLOURS[w.verdict]}">${cardHead(w)}<div style="font-size:12px;color:${MUTED}">Runs ${e(runsText(w))} · value ${e(valueText(w))} · cost ${e(costText(w.current))} · acceptance ${e(acceptanceLine(w))}${(w.variants?.lines ?? []).map((line) => ` · measured: ${e(line)}`).join('')}</div></div>\n`;

const list = (items: readonly string[]) =>
  `<ul style="margin:0;padding:0 0 0 18px;font-size:13px;line-height:18px">${items.map((item) => `<li style="margin:0 0 6px">${item}</li>`).join('')}</ul>`;

const documentHtml = (digest: DigestModel, workflowsHtml: string, chart: boolean) => {
  const body = [
    section(
      `<div style="font-size:12px;color:${MUTED};text-transform:uppercase">Yardstick · weekly value digest</div><h1 style="margin:4px 0 0;font-size:24px;line-height:30px">${e(digest.week)}</h1><div style="font-size:13px;color:${MUTED}">${e(periodText(digest))}, compared with ${e(digest.previousWeek)}</div>`,
      '18px 16px 4px',
    ),
    section(`<p id="headline" style="margin:0;font-size:16px;line-height:23px">${e(digest.headline)}</p>`),
    section(`<div style="line-height:26px">${verdictChips(digest)}</div>`, '4px 16px'),
    section(`${heading('Fleet')}${fleetTable(digest)}`),
    chart && digest.workflows.length > 0
      ? section(`${heading('Net value by workflow')}${netValueChart(digest)}`)
      : '',
    section(`${heading('Workflows')}${workflowsHtml}`),
    section(`${heading('Where the numbers come from')}${list(digest.notes.map(e))}`),
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

const fits = (html: string) => Buffer.byteLength(html) <= HTML_BUDGET_BYTES;

/**
 * The digest as an e-mail body: one self-contained HTML document with inline CSS only, no scripts,
 * images or external assets, and charts drawn with table cells, which every mail client renders.
 * Fluid up to 640 px wide. Large fleets get one paragraph per workflow, and past that a cut list
 * that points to the text and JSON digests, so the message stays under Gmail's clipping size.
 *
 * @example
 * ```ts
 * const html = renderDigestHtmlBeforeIssue12(digest); // seconds for a fleet of 1,000
 * ```
 */
export const renderDigestHtmlBeforeIssue12 = (digest: DigestModel): string => {
  const full = documentHtml(digest, digest.workflows.map(workflowCard).join(''), true);
  if (fits(full)) return full;
  const lines = digest.workflows.map(workflowLine);
  const compact = documentHtml(digest, lines.join(''), false);
  if (fits(compact)) return compact;
  for (let shown = lines.length - 1; shown > 0; shown--) {
    const more = `<p style="font-size:13px">${digest.workflows.length - shown} more workflows are in the text and JSON digests (GET /digest?week=${e(digest.week)}).</p>`;
    const cut = documentHtml(digest, lines.slice(0, shown).join('') + more, false);
    if (fits(cut)) return cut;
  }
  return compact;
};
