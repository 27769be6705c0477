import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';

const usd = (value: number): string =>
  Math.abs(value) >= 1000
    ? `$${(value / 1000).toFixed(1)}k`
    : `$${value.toFixed(value !== 0 && Math.abs(value) < 1 ? 4 : 2)}`;
const pct = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(0)}%`);

/** A fixed-width table of the fleet's last 7 days, for the terminal. */
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
      String(m.runs),
      usd(m.costUsd),
      usd(m.valueUsd),
      m.roi === null ? '—' : `${m.roi.toFixed(1)}×`,
      m.hoursSaved.toFixed(1),
      m.acceptanceRate === null ? '—' : `${pct(m.acceptanceRate)} (${pct(m.acceptanceRateLow95)})`,
      pct(m.overrideRate),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
};
