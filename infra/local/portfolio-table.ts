import { verdictSummary } from '../../shared/digest/notes.ts';
import { formatBoundedRoi, formatCost, formatValue } from '../../shared/format/figures.ts';
import { UNKNOWN } from '../../shared/format/money.ts';
import { formatCount, formatPercent } from '../../shared/format/rates.ts';
import type { Portfolio, PortfolioFigures } from '../../shared/portfolio/model.ts';
import { funnelSummary } from '../../shared/portfolio/present.ts';

/**
 * The portfolio by business function as a fixed-width table for the terminal, with its total and the
 * funnel's calls to action under it. Figures go through the shared formatters, as in the digest.
 *
 * @example
 * ```ts
 * console.log(formatPortfolioTable(await (await fetch(`${apiUrl}/portfolio`)).json()));
 * ```
 */
export const formatPortfolioTable = (portfolio: Portfolio): string => {
  const header = ['business function', 'workflows', 'runs', 'value', 'cost', 'ROI', 'adoption', 'verdicts'];
  const cells = (label: string, f: PortfolioFigures) => [
    label,
    formatCount(f.workflows),
    formatCount(f.runs),
    formatValue(f),
    formatCost(f),
    formatBoundedRoi(f),
    // Adoption unknown (no eligibleUsers, no userIds) reads `unknown`, never a dash or 0 %.
    f.adoptionRate === null ? UNKNOWN : formatPercent(f.adoptionRate),
    verdictSummary(f.verdicts),
  ];
  const rows = [
    ...portfolio.byBusinessFunction.map((r) => cells(r.label, r)),
    cells('Total', portfolio.totals),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns left, figures right.
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const actions = portfolio.funnel.entries.flatMap((e) =>
    e.action ? [`  ${e.name}: ${e.action.message}`] : [],
  );
  return [
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.slice(0, -1).map(line),
    line(widths.map((w) => '─'.repeat(w))),
    line(rows.at(-1) ?? []),
    '',
    `Pilot funnel: ${funnelSummary(portfolio.funnel)}.`,
    ...actions,
  ].join('\n');
};
