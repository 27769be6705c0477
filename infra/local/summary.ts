import { formatBoundedRoi, formatCost, formatHoursSaved, formatValue } from '../../shared/format/figures.ts';
import { NO_RATE, formatOptionalPercent as pct } from '../../shared/format/optional.ts';
import { formatCount } from '../../shared/format/rates.ts';
import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';

/**
 * A fixed-width table of the fleet's last 7 days, for the terminal. Figures go through the shared
 * formatters, so an unknown value reads `unknown` and an unpriced cost `≥ $x` or `unpriced`, as in
 * the digest, never `$0.00` or `-1×`.
 *
 * @example
 * ```ts
 * console.log(formatFleetTable((await listWorkflows(store, catalog, Date.now(), { limit: 50 })).workflows));
 * ```
 */
export const formatFleetTable = (workflows: readonly WorkflowListEntry[]): string => {
  const header = [
    'workflow',
    'stage',
    'runs',
    'cost',
    'value',
    'ROI',
    'hours saved',
    'accepted (95% low)',
    'overridden',
  ];
  const rows = workflows.map((w) => {
    const m = w.last7Days;
    return [
      w.workflowId,
      w.stage ?? 'not in catalog',
      formatCount(m.runs),
      formatCost(m),
      formatValue(m),
      formatBoundedRoi(m),
      formatHoursSaved(m.hoursSaved),
      m.acceptanceRate === null ? NO_RATE : `${pct(m.acceptanceRate)} (${pct(m.acceptanceRateLow95)})`,
      pct(m.overrideRate),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  const table = [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
  const partial = workflows.filter(
    (w) => (w.last7Days.valueCoverage ?? 1) < 1 && w.last7Days.valueUsd !== null,
  );
  return [...table, ...legend(workflows, partial.length > 0)].join('\n');
};

// One line under the table says what `≥` and `unknown` mean, only when they appear.
const legend = (workflows: readonly WorkflowListEntry[], partialValue: boolean): string[] => {
  const unknownValue = workflows.some((w) => w.last7Days.valueUsd === null && w.last7Days.runs > 0);
  const unpriced = workflows.some((w) => !w.last7Days.costComplete);
  const parts = [
    unknownValue ? 'value unknown: no success reported valueUsd and the catalog assumes none' : '',
    partialValue ? '≥ value: known for only some successes' : '',
    unpriced ? '≥ cost / unpriced: some usage has no price, so ROI is unknown' : '',
  ].filter(Boolean);
  return parts.length ? ['', ...parts.map((part) => `  ${part}`)] : [];
};
