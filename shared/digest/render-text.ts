import { formatCount } from '../format/rates.ts';
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

const WIDTH = 76;

/** Greedy word wrap with a hanging indent, for plain-text mail clients that do not reflow. */
export const wrap = (text: string, indent = '', width = WIDTH): string => {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line.trim() ? `${line} ${word}` : `${indent}${word}`;
  }
  if (line.trim()) lines.push(line);
  return lines.join('\n');
};

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
