import { formatCount } from '../format/rates.ts';
import { adoptionLine } from '../portfolio/present.ts';
import { badge, escapeHtml as e, intervalBar, MUTED, TABLE, VERDICT_COLOURS } from './html-parts.ts';
import type { DigestWorkflow } from './model.ts';
import {
  acceptanceLine,
  costText,
  hoursText,
  metaText,
  netAndRoiText,
  overrideLine,
  reasonsText,
  runsText,
  valueText,
} from './present.ts';

// With table-layout:fixed the first row sets the column widths; later rows need none.
const figure = (label: string, value: string, extra = '') =>
  `<tr valign="top"><td style="color:${MUTED}">${e(label)}</td><td>${e(value)}${extra}</td></tr>`;
const FIGURE_COLUMNS = '<col width="30%"><col width="70%">';

const rateBar = (low: number | null, high: number | null, colour: string, light: string) =>
  low === null || high === null ? '' : intervalBar(low, high, colour, light);

const cardHead = (w: DigestWorkflow) =>
  `${badge(w.verdict, w.verdictLabel)} <b style="font-size:15px">${e(w.name)}</b><div style="font-size:12px;color:${MUTED}">${e(w.name === w.workflowId ? metaText(w) : `${w.workflowId} · ${metaText(w)}`)}</div><p style="margin:6px 0;font-size:14px;line-height:20px">${e(w.reason)}</p>`;

/**
 * One workflow in full: verdict, reason and every figure, with the rates' 95 % intervals as bars.
 * Its element id is `workflow-{workflowId}`.
 *
 * @example
 * ```ts
 * const html = workflowCard(digest.workflows[0]); // '<table role="presentation" … id="workflow-invoice-triage" …'
 * ```
 */
export const workflowCard = (w: DigestWorkflow): string => {
  const f = w.current;
  const rows = [
    figure('Runs', runsText(w)),
    figure('Value', valueText(w)),
    figure('AI cost', costText(f)),
    figure('Net, ROI', netAndRoiText(w)),
    figure('Hours saved', hoursText(f)),
    // Only when users are known: a large fleet's cards stay small, and the text digest says "unknown".
    ...(w.adoption.activeUsers !== null ? [figure('Adoption', adoptionLine(w.adoption))] : []),
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
