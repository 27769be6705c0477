import { formatCount, formatPercent, formatUsd } from '../verdicts/format.ts';
import { VERDICT_INFO, type VerdictName } from '../verdicts/verdict.ts';
import { badge, bar, escapeHtml as e, FONT, INK, intervalBar, MUTED, VERDICT_COLOURS } from './html-parts.ts';
import type { DigestModel, DigestWorkflow } from './model.ts';
import {
  acceptanceLine,
  changeText,
  costText,
  fleetRows,
  hoursText,
  lacksValueData,
  metaText,
  netAndRoiText,
  overrideLine,
  periodText,
  reasonsText,
  valueText,
} from './present.ts';

const TABLE = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';
const WRAP = 'word-break:break-word;overflow-wrap:anywhere';
const section = (content: string, padding = '12px 20px') =>
  `<tr><td style="padding:${padding};${WRAP}">${content}</td></tr>`;
const heading = (text: string) =>
  `<h2 style="margin:8px 0 8px;font-size:16px;line-height:22px;color:${INK}">${e(text)}</h2>`;

const fleetTable = (digest: DigestModel) => {
  const th = (text: string, align: string) =>
    `<th align="${align}" style="padding:6px 4px;font-size:12px;color:${MUTED};font-weight:normal;border-bottom:1px solid #e5e7eb">${e(text)}</th>`;
  const rows = fleetRows(digest)
    .map(
      ([label, current, previous, change], index) =>
        `<tr><td style="padding:6px 4px;font-size:14px;${index === 0 ? 'font-weight:bold' : ''}">${e(label)}</td><td align="right" style="padding:6px 4px;font-size:14px;${index === 0 ? 'font-weight:bold' : ''}">${e(current)}</td><td align="right" style="padding:6px 4px;font-size:14px;color:${MUTED}">${e(previous)}</td><td align="right" style="padding:6px 4px;font-size:14px">${e(change)}</td></tr>`,
    )
    .join('');
  return `<table ${TABLE} id="fleet" style="border-collapse:collapse">${`<tr>${th('', 'left')}${th(digest.week, 'right')}${th(digest.previousWeek, 'right')}${th('change', 'right')}</tr>`}${rows}</table>`;
};

const verdictChips = (digest: DigestModel) =>
  Object.entries(digest.verdictCounts)
    .filter(([, count]) => count > 0)
    .map(
      ([verdict, count]) =>
        `<span style="display:inline-block;margin:0 12px 6px 0;font-size:14px;white-space:nowrap">${badge(verdict as VerdictName, VERDICT_INFO[verdict as VerdictName].label)} × ${count}</span>`,
    )
    .join('');

// Net value per workflow, this week over last, on one scale so bars compare across rows.
const netValueChart = (digest: DigestModel) => {
  const known = digest.workflows.filter((w) => !lacksValueData(w));
  const max = Math.max(
    1e-9,
    ...known.flatMap((w) => [Math.abs(w.current.netValueUsd), Math.abs(w.previous.netValueUsd)]),
  );
  const rows = digest.workflows.map((w) => {
    const unknown = lacksValueData(w);
    const label = unknown ? 'unknown' : formatUsd(w.current.netValueUsd);
    const colour = w.current.netValueUsd < 0 ? '#b91c1c' : '#15803d';
    const bars = unknown
      ? `<div style="font-size:12px;color:${MUTED}">no value data</div>`
      : `${bar(Math.abs(w.current.netValueUsd) / max, colour, 12)}<div style="height:3px;font-size:0;line-height:0">&nbsp;</div>${bar(Math.abs(w.previous.netValueUsd) / max, '#9ca3af', 5)}`;
    return `<tr><td style="padding:6px 0;${WRAP}"><table ${TABLE}><tr><td style="font-size:13px">${e(w.name)}</td><td align="right" style="font-size:13px;font-weight:bold;white-space:nowrap">${e(label)}</td></tr></table>${bars}</td></tr>`;
  });
  return `<table ${TABLE} id="net-value-chart">${rows.join('')}</table><div style="font-size:12px;color:${MUTED};margin-top:4px">Thick bar: ${e(digest.week)}; thin grey bar: ${e(digest.previousWeek)}; red: value below cost.</div>`;
};

const figureRow = (label: string, value: string, extra = '') =>
  `<tr><td valign="top" width="32%" style="padding:4px 8px 4px 0;font-size:13px;color:${MUTED}">${e(label)}</td><td valign="top" style="padding:4px 0;font-size:13px;${WRAP}">${e(value)}${extra}</td></tr>`;

const rateBar = (low: number | null, high: number | null, colour: string, light: string) =>
  low === null || high === null
    ? ''
    : `<div style="margin-top:4px">${intervalBar(low, high, colour, light)}</div>`;

const workflowCard = (w: DigestWorkflow) => {
  const f = w.current;
  const rows = [
    figureRow(
      'Runs',
      `${formatCount(f.runs)} (${changeText(w.change.runs)} week over week)${f.successRate === null ? '' : `, ${formatPercent(f.successRate)} succeeded`}`,
    ),
    figureRow('Value', valueText(w)),
    figureRow('AI cost', costText(f)),
    figureRow('Net, ROI', netAndRoiText(w)),
    figureRow('Hours saved', hoursText(f)),
  ];
  if (f.reviews > 0) {
    rows.push(
      figureRow(
        'Acceptance',
        acceptanceLine(w),
        rateBar(f.acceptanceRateLow95, f.acceptanceRateHigh95, '#15803d', '#86efac'),
      ),
      figureRow(
        'Overrides',
        overrideLine(w),
        rateBar(f.overrideRateLow95, f.overrideRateHigh95, '#b45309', '#fcd34d'),
      ),
      figureRow('Reviews', formatCount(f.reviews)),
    );
    if (f.topOverrideReasons.length > 0) rows.push(figureRow('Override reasons', reasonsText(f)));
  }
  return `<table ${TABLE} id="workflow-${e(w.workflowId)}" style="border-collapse:collapse;margin:0 0 16px;border:1px solid #e5e7eb;border-left:4px solid ${VERDICT_COLOURS[w.verdict]}"><tr><td style="padding:12px 14px;${WRAP}">
<div>${badge(w.verdict, w.verdictLabel)}</div>
<div style="margin-top:6px;font-size:16px;font-weight:bold;color:${INK}">${e(w.name)}</div>
<div style="font-size:12px;color:${MUTED}">${e(w.name === w.workflowId ? metaText(w) : `${w.workflowId} · ${metaText(w)}`)}</div>
<p style="margin:8px 0 8px;font-size:14px;line-height:20px;color:${INK}">${e(w.reason)}</p>
<table ${TABLE} style="border-collapse:collapse;table-layout:fixed">${rows.join('')}</table>
</td></tr></table>`;
};

const list = (items: readonly string[]) =>
  `<ul style="margin:0;padding:0 0 0 18px">${items.map((item) => `<li style="margin:0 0 6px;font-size:13px;line-height:18px;color:#374151">${item}</li>`).join('')}</ul>`;

/**
 * The digest as an e-mail body: one self-contained HTML document with inline CSS only, no scripts,
 * images or external assets, and charts drawn with table cells, which every mail client renders.
 * Fluid up to 640 px wide, so it reads on phones without horizontal scrolling.
 *
 * @example
 * ```ts
 * await sender.send({ html: renderDigestHtml(digest), … });
 * ```
 */
export const renderDigestHtml = (digest: DigestModel): string => {
  const title = `Yardstick weekly value digest ${digest.week}`;
  const body = [
    section(
      `<div style="font-size:12px;color:${MUTED};letter-spacing:0.05em;text-transform:uppercase">Yardstick · weekly value digest</div><h1 style="margin:4px 0 0;font-size:24px;line-height:30px;color:${INK}">${e(digest.week)}</h1><div style="font-size:13px;color:${MUTED}">${e(periodText(digest))}, compared with ${e(digest.previousWeek)}</div>`,
      '20px 20px 4px',
    ),
    section(
      `<p id="headline" style="margin:0;font-size:16px;line-height:23px;color:${INK}">${e(digest.headline)}</p>`,
    ),
    section(verdictChips(digest), '4px 20px'),
    section(`${heading('Fleet')}${fleetTable(digest)}`),
    digest.workflows.length > 0 ? section(`${heading('Net value by workflow')}${netValueChart(digest)}`) : '',
    section(`${heading('Workflows')}${digest.workflows.map(workflowCard).join('\n')}`),
    section(`${heading('Where the numbers come from')}${list(digest.notes.map(e))}`),
    section(
      `${heading('Verdicts')}${list(Object.entries(VERDICT_INFO).map(([verdict, info]) => `${badge(verdict as VerdictName, info.label)} ${e(info.action)}`))}`,
    ),
    section(
      `<div style="font-size:12px;color:${MUTED}">Generated ${e(digest.generatedAt)} from ${e(digest.catalog)}. Money in USD; weeks are ISO weeks in UTC.</div>`,
      '8px 20px 20px',
    ),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light"><title>${e(title)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${e(digest.headline)}</div>
<table ${TABLE} style="background:#f3f4f6"><tr><td align="center" style="padding:16px 8px">
<table ${TABLE} style="max-width:640px;width:100%;background:#ffffff;border-radius:8px;${FONT};color:${INK}">
${body}
</table>
</td></tr></table>
</body></html>
`;
};
