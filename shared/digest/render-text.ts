import { formatCount } from '../format/rates.ts';
import { wrap } from '../format/wrap.ts';
import { adoptionLine } from '../portfolio/present.ts';
import { portfolioTextLines } from '../portfolio/render-text.ts';
import { VERDICT_INFO } from '../verdicts/verdict.ts';
import type { DigestModel, DigestWorkflow } from './model.ts';
import {
  acceptanceLine,
  costText,
  fleetRows,
  hoursText,
  metaText,
  netAndRoiText,
  overrideLine,
  periodText,
  reasonsText,
  runsText,
  valueText,
} from './present.ts';

export { wrap } from '../format/wrap.ts';

const pad = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');

const workflowBlock = (w: DigestWorkflow): string => {
  const f = w.current;
  const lines = [
    `[${w.verdictLabel.toUpperCase()}] ${w.name}${w.name === w.workflowId ? '' : ` (${w.workflowId})`} · ${metaText(w)}`,
    wrap(w.reason, '  '),
  ];
  if (f.runs > 0 || f.usageEvents > 0) {
    lines.push(
      wrap(`Runs ${runsText(w)}.`, '  '),
      wrap(`Value ${valueText(w)}; cost ${costText(f)}; ${netAndRoiText(w)}.`, '  '),
      wrap(`Hours saved ${hoursText(f)}.`, '  '),
    );
  }
  if (w.inCatalog || w.adoption.activeUsers !== null)
    lines.push(wrap(`Adoption ${adoptionLine(w.adoption)}.`, '  '));
  for (const line of w.variants?.lines ?? []) lines.push(wrap(`Measured: ${line}`, '  '));
  if (f.reviews > 0) {
    lines.push(
      wrap(`Acceptance ${acceptanceLine(w)}.`, '  '),
      wrap(`Overrides ${overrideLine(w)}; ${formatCount(f.reviews)} reviews.`, '  '),
    );
    if (f.topOverrideReasons.length > 0) lines.push(wrap(`Top override reasons: ${reasonsText(f)}.`, '  '));
  }
  return lines.join('\n');
};

/**
 * The digest as plain text: the multipart alternative of the e-mail and what the CLI prints.
 *
 * @example
 * ```ts
 * console.log(renderDigestText(buildDigest(input)));
 * ```
 */
export const renderDigestText = (digest: DigestModel): string => {
  const rows = fleetRows(digest);
  const header: [string, string, string, string] = ['', digest.week, digest.previousWeek, 'change'];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((row) => row[i]?.length ?? 0)));
  return [
    `YARDSTICK WEEKLY VALUE DIGEST · ${digest.week}`,
    `${periodText(digest)}, compared with ${digest.previousWeek}`,
    '',
    wrap(digest.headline),
    '',
    ...portfolioTextLines(digest.portfolio),
    '',
    'FLEET',
    pad(header, widths),
    ...rows.map((row) => pad(row, widths)),
    '',
    'WORKFLOWS',
    '',
    ...digest.workflows.flatMap((w) => [workflowBlock(w), '']),
    'WHERE THE NUMBERS COME FROM',
    ...digest.notes.map((note) => wrap(`- ${note}`, '  ').replace(/^ {2}-/, '-')),
    '',
    'VERDICTS',
    ...Object.values(VERDICT_INFO).map((info) =>
      wrap(`- ${info.label}: ${info.action}`, '  ').replace(/^ {2}-/, '-'),
    ),
    '',
    `Generated ${digest.generatedAt} from ${digest.catalog}.`,
    '',
  ].join('\n');
};
