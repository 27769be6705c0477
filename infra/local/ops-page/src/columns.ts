import {
  formatBoundedRoi,
  formatCost,
  formatHoursSaved,
  formatNet,
  formatValue,
} from '../../../../shared/format/figures.ts';
import { formatOptionalPercent as pct } from '../../../../shared/format/optional.ts';
import { formatCount } from '../../../../shared/format/rates.ts';
import type { WorkflowListEntry } from './api.ts';
import type { MissedTargets } from './flags.ts';

/** One figure of a workflow's row, as the table cell and the phone card both show it. */
export interface Figure {
  readonly text: string;
  /** Set when the figure misses a catalog target: why, for the tooltip. */
  readonly flag?: string;
  readonly negative?: boolean;
}

/** A fleet column: its heading, and the figure it shows for a workflow. */
export interface FleetColumn {
  readonly key: string;
  readonly heading: string;
  /** The figure may wrap at its spaces in a narrow table (`37% (≥ 23%)`, `2 h ago`). */
  readonly wraps?: boolean;
  readonly figure: (w: WorkflowListEntry, missed: MissedTargets) => Figure;
}

const ago = (iso: string | null, nowMs: number): string => {
  if (!iso) return '—';
  const minutes = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
};

/**
 * The fleet's figures per workflow, in table order. Every money figure goes through the shared
 * formatters (shared/format), so a cell reads exactly what the terminal table and the digest say:
 * `unknown`, `≥ $x`, `unpriced`, never `$0` for what is not known.
 *
 * @example
 * ```ts
 * fleetColumns(Date.now()).map((c) => c.figure(entry, missedTargets(entry)).text);
 * ```
 */
export const fleetColumns = (nowMs: number): readonly FleetColumn[] => [
  { key: 'runs', heading: 'runs', figure: (w) => ({ text: formatCount(w.last7Days.runs) }) },
  { key: 'success', heading: 'success', figure: (w) => ({ text: pct(w.last7Days.successRate) }) },
  { key: 'cost', heading: 'cost', figure: (w) => ({ text: formatCost(w.last7Days) }) },
  { key: 'value', heading: 'value', figure: (w) => ({ text: formatValue(w.last7Days) }) },
  {
    key: 'net',
    heading: 'net',
    figure: (w) => ({ text: formatNet(w.last7Days), negative: (w.last7Days.netValueUsd ?? 0) < 0 }),
  },
  {
    key: 'roi',
    heading: 'ROI',
    figure: (w, missed) => ({
      text: formatBoundedRoi(w.last7Days),
      ...(missed.roi ? { flag: `below the catalog's ${w.targets?.minRoi}× ROI target` } : {}),
    }),
  },
  {
    key: 'hours',
    heading: 'hours saved',
    figure: (w) => ({ text: formatHoursSaved(w.last7Days.hoursSaved) }),
  },
  { key: 'reviews', heading: 'reviews', figure: (w) => ({ text: formatCount(w.last7Days.reviews) }) },
  {
    key: 'accepted',
    heading: 'accepted (95% low)',
    wraps: true,
    figure: (w, missed) => {
      const m = w.last7Days;
      const target = w.targets?.minAcceptanceRate;
      return {
        text:
          m.acceptanceRate === null
            ? pct(null)
            : `${pct(m.acceptanceRate)} (≥ ${pct(m.acceptanceRateLow95)})`,
        ...(missed.acceptance ? { flag: `95% lower bound below the ${pct(target ?? null)} target` } : {}),
      };
    },
  },
  {
    key: 'overridden',
    heading: 'overridden',
    figure: (w, missed) => ({
      text: pct(w.last7Days.overrideRate, w.targets?.maxOverrideRate),
      ...(missed.override ? { flag: `above the ${pct(w.targets?.maxOverrideRate ?? null)} target` } : {}),
    }),
  },
  { key: 'users', heading: 'users', figure: (w) => ({ text: formatCount(w.last7Days.activeUsers) }) },
  { key: 'seen', heading: 'last seen', wraps: true, figure: (w) => ({ text: ago(w.lastSeenAt, nowMs) }) },
];
