import { wrap } from '../format/wrap.ts';
import type { Portfolio, PortfolioFigures } from './model.ts';
import {
  entryStatus,
  entryTitle,
  funnelSummary,
  historySource,
  historyText,
  newWorkflowText,
  portfolioFacts,
  workflowMix,
} from './present.ts';

const bullet = (text: string) => wrap(`- ${text}`, '  ').replace(/^ {2}-/, '-');

const rowText = (label: string, f: PortfolioFigures) =>
  bullet(
    `${label} (${workflowMix(f)}): ${portfolioFacts(f)
      .map(([name, text]) => `${name === 'ROI' ? name : name.toLowerCase()} ${text}`)
      .join('; ')}.`,
  );

/**
 * The portfolio section of the plain-text digest: both tables with their totals, then the funnel.
 *
 * @example
 * ```ts
 * console.log(portfolioTextLines(digest.portfolio).join('\n'));
 * ```
 */
export const portfolioTextLines = (p: Portfolio): string[] => {
  const { funnel } = p;
  const actions = funnel.entries.filter((e) => e.action !== null);
  const others = funnel.entries.filter((e) => e.action === null);
  return [
    'PORTFOLIO',
    wrap(`${workflowMix(p.totals)}; ${funnelSummary(funnel)}.`),
    '',
    'By business function',
    ...p.byBusinessFunction.map((row) => rowText(row.label, row)),
    rowText('Total', p.totals),
    '',
    'By owner team',
    ...p.byOwnerTeam.map((row) => rowText(row.label, row)),
    rowText('Total', p.totals),
    '',
    wrap(`Pilot funnel (${historySource(p)})`),
    ...actions.map((e) =>
      bullet(
        `${e.action?.code === 'ready-to-promote' ? 'READY TO PROMOTE' : 'DECIDE WHETHER TO STOP'}: ${entryTitle(e)}: ${entryStatus(e)}. History: ${historyText(e)}.`,
      ),
    ),
    ...others.map((e) => bullet(`${entryTitle(e)}: ${entryStatus(e)}. History: ${historyText(e)}.`)),
    ...(funnel.newWorkflows.length > 0
      ? [
          bullet(
            `New, not in the catalog: ${funnel.newWorkflows.map(newWorkflowText).join(', ')}. Add them to the catalog to give them an owner, a business function, targets and value.`,
          ),
        ]
      : []),
  ];
};
