import { plural } from '../format/rates.ts';
import type { FunnelEntry, Portfolio, PortfolioFigures, PortfolioRow } from '../portfolio/model.ts';
import {
  entryStatus,
  entryTitle,
  funnelSummary,
  historySource,
  historyText,
  newWorkflowText,
  portfolioFacts,
  workflowMix,
} from '../portfolio/present.ts';
import { escapeHtml as e, MUTED, TABLE } from './html-parts.ts';

/**
 * The e-mail shows at most this many rows per portfolio table and this many funnel lines, so the
 * section has a fixed ceiling whatever the fleet (Gmail clips past ~102 KB; render-html.ts counts
 * this section in the document's fixed size). The rest are counted; the text and JSON keep them all.
 */
export const PORTFOLIO_HTML_LIMITS = { rows: 8, funnel: 6, newWorkflows: 6 } as const;

const facts = (f: PortfolioFigures) =>
  portfolioFacts(f)
    .map(([label, text]) => `<span style="color:${MUTED}">${e(label)}</span> ${e(text)}`)
    .join(' · ');

const row = (label: string, f: PortfolioFigures, bold = false) =>
  `<tr><td style="padding:5px 0;border-top:1px solid #e5e7eb"><b${bold ? '' : ' style="font-weight:600"'}>${e(label)}</b> <span style="color:${MUTED};font-size:12px">${e(workflowMix(f))}</span><div style="font-size:12px;line-height:17px">${facts(f)}</div></td></tr>`;

// The largest groups by runs when there are more than fit; the table keeps its own order.
const shown = (rows: readonly PortfolioRow[]) => {
  if (rows.length <= PORTFOLIO_HTML_LIMITS.rows) return rows;
  const keep = new Set([...rows].sort((a, b) => b.runs - a.runs).slice(0, PORTFOLIO_HTML_LIMITS.rows));
  return rows.filter((r) => keep.has(r));
};

const table = (id: string, title: string, rows: readonly PortfolioRow[], totals: PortfolioFigures) => {
  const visible = shown(rows);
  const more =
    rows.length > visible.length
      ? `<tr><td style="font-size:12px;color:${MUTED};padding:4px 0">${e(`${plural(rows.length - visible.length, 'smaller group')} not shown here; all are in the text and JSON digests and at GET /portfolio.`)}</td></tr>`
      : '';
  return `<h3 style="margin:10px 0 2px;font-size:14px">${e(title)}</h3><table ${TABLE} id="${id}" style="font-size:13px;line-height:18px">${visible.map((r) => row(r.label, r)).join('')}${more}${row('Total', totals, true)}</table>`;
};

const funnelLine = (entry: FunnelEntry) => {
  const action =
    entry.action === null
      ? ''
      : `<b style="color:${entry.action.code === 'ready-to-promote' ? '#15803d' : '#b91c1c'}">${e(entry.action.code === 'ready-to-promote' ? 'Ready to promote' : 'Decide whether to stop')}:</b> `;
  return `${action}${e(entryTitle(entry))}: ${e(entryStatus(entry))}. <span style="color:${MUTED}">History: ${e(historyText(entry))}.</span>`;
};

/**
 * The portfolio section of the e-mail: by business function, by owner team (each with its total),
 * and the pilot funnel: the workflows a streak asks a decision about first, then the pilots.
 *
 * @example
 * ```ts
 * const html = portfolioHtml(digest.portfolio); // '<p …>6 workflows…</p><h3 …>By business function</h3>…'
 * ```
 */
export const portfolioHtml = (p: Portfolio): string => {
  const { funnel } = p;
  const asks = funnel.entries.filter((x) => x.action !== null);
  const listed = asks.slice(0, PORTFOLIO_HTML_LIMITS.funnel);
  const items = listed.map(funnelLine);
  if (asks.length > listed.length)
    items.push(
      e(
        `${plural(asks.length - listed.length, 'more workflow')} with a streak in the text and JSON digests.`,
      ),
    );
  // The other pilots in one line, longest in pilot first: how long each has been stuck at a glance.
  const pilots = funnel.entries.filter((x) => x.action === null && x.stage === 'pilot');
  if (pilots.length > 0) {
    const names = pilots
      .slice(0, PORTFOLIO_HTML_LIMITS.funnel)
      .map(
        (x) =>
          `${x.name} (${x.streak.label}; ${x.weeksInPilot === null ? 'start unknown' : plural(x.weeksInPilot, 'week')})`,
      );
    const rest = pilots.length - names.length;
    items.push(e(`Other pilots: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}.`));
  }
  if (funnel.newWorkflows.length > 0) {
    const names = funnel.newWorkflows.slice(0, PORTFOLIO_HTML_LIMITS.newWorkflows).map(newWorkflowText);
    const rest = funnel.newWorkflows.length - names.length;
    items.push(
      e(
        `New, not in the catalog: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}. Add them to the catalog to give them an owner, a business function, targets and value.`,
      ),
    );
  }
  return [
    `<p style="margin:0 0 4px;font-size:14px;line-height:20px">${e(`${workflowMix(p.totals)}; ${funnelSummary(funnel)}.`)}</p>`,
    table('portfolio-functions', 'By business function', p.byBusinessFunction, p.totals),
    table('portfolio-teams', 'By owner team', p.byOwnerTeam, p.totals),
    `<h3 style="margin:10px 0 2px;font-size:14px">Pilot funnel</h3><div style="font-size:12px;color:${MUTED}">${e(historySource(p))}</div>`,
    `<ul id="portfolio-funnel" style="margin:4px 0 0;padding:0 0 0 18px;font-size:13px;line-height:18px">${items.map((item) => `<li style="margin:0 0 5px">${item}</li>`).join('')}</ul>`,
  ].join('');
};
