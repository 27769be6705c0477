import {
  type BoundedFigures,
  formatBoundedRoi,
  formatCost,
  formatHoursSaved,
  formatNet,
  formatValue,
  formatValueCoverage,
} from '../format/figures.ts';
import { formatUsd, UNKNOWN } from '../format/money.ts';
import {
  formatChange,
  formatCount,
  formatHours,
  formatPercent,
  formatRateWithInterval,
  formatTarget,
  plural,
} from '../format/rates.ts';
import type { Change, DigestModel, DigestWorkflow, WeekFigures } from './model.ts';

/** `+10%`, `new` when last week was zero and this week is not, or `–` (also when either is unknown). */
export const changeText = (change: Change): string => {
  if (change.current === null || change.previous === null) return '–';
  if (change.previous === 0) return change.current === 0 ? '–' : 'new';
  return formatChange(change.current, change.previous) ?? '–';
};

const provenance = (reported: number, assumed: number, assumedWord: string): string => {
  if (reported === 0 && assumed === 0) return '';
  if (assumed === 0) return ' (reported)';
  if (reported === 0) return ` (${assumedWord})`;
  return ` (${formatPercent(assumed / (reported + assumed))} ${assumedWord})`;
};

/** `313 (+19% week over week), 96% succeeded`, or `0 (none last week either)`. */
export const runsText = (w: DigestWorkflow): string => {
  const { current: f, change } = w;
  const trend =
    change.runs.previous === 0 && f.runs === 0
      ? 'none last week either'
      : `${changeText(change.runs)} week over week`;
  return `${formatCount(f.runs)} (${trend})${f.successRate === null ? '' : `, ${formatPercent(f.successRate)} succeeded`}`;
};

/** True when nothing says what the workflow's successes are worth (its value is null). */
export const lacksValueData = (w: DigestWorkflow): boolean => w.current.valueUsd === null;

/** True when the cost is unknown or only a lower bound. */
export const costIncomplete = (f: WeekFigures): boolean => !f.costComplete;

/** Value with where it came from: `$1,345.50 (assumed at $4.50 per success)`, `≥ $12.00 (value known for 60% of successes; reported)`. */
export const valueText = (w: DigestWorkflow): string => {
  if (lacksValueData(w)) return `${UNKNOWN} (no value data)`;
  const f = w.current;
  const per = w.assumptions.valuePerSuccessUsd;
  const coverage = formatValueCoverage(f.valueCoverage);
  const source = provenance(
    f.valueReportedUsd,
    f.valueAssumedUsd,
    per === null ? 'assumed' : `assumed at ${formatUsd(per)} per success`,
  );
  if (!coverage) return `${formatValue(f)}${source}`;
  return `${formatValue(f)} (${coverage}${source ? `; ${source.slice(2, -1)}` : ''})`;
};

/** Net value and ROI, or `unknown` when value data or part of the cost is missing. */
export const netAndRoiText = (w: DigestWorkflow): string => {
  const f = w.current;
  if (lacksValueData(w)) return `net and ROI ${UNKNOWN}`;
  if (f.netValueUsd === null) return `net and ROI ${UNKNOWN} (value and cost both incomplete)`;
  if (costIncomplete(f)) return `net ${formatNet(f)}; ROI ${UNKNOWN} (cost incomplete)`;
  return `net ${formatNet(f)}; ROI ${roiText(f)}`;
};

/** Cost with where it came from, and `≥` (or `unpriced`) when part of it is unpriced. */
export const costText = (f: WeekFigures): string => {
  const notes: string[] = [];
  const source = provenance(f.costReportedUsd, f.costCatalogPricedUsd, 'priced from the catalog');
  if (source) notes.push(source.slice(2, -1));
  if (f.unpricedUsageEvents > 0) notes.push(`${plural(f.unpricedUsageEvents, 'usage event')} unpriced`);
  return `${formatCost(f)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
};

export const hoursText = (f: WeekFigures): string =>
  f.hoursSaved === null
    ? `${UNKNOWN} (no minutesSaved reported, no catalog minutes per success)`
    : f.hoursSaved === 0
      ? 'none recorded'
      : `${formatHours(f.hoursSaved)}${provenance(f.hoursSavedReported, f.hoursSavedAssumed, 'assumed')}`;

/** ROI with its bound, `n/a (no cost)` when cost is a complete $0, otherwise `unknown` when null. */
export const roiText = (f: BoundedFigures): string =>
  f.roi === null && f.costComplete && f.costUsd === 0 && f.valueUsd !== null
    ? 'n/a (no cost)'
    : formatBoundedRoi(f);

/** `89% (95% CI 81–93%), target ≥ 80%` or `no reviews`. */
export const acceptanceLine = (w: DigestWorkflow): string => {
  const f = w.current;
  if (f.acceptanceRate === null) return 'no reviews';
  const target = w.targets.minAcceptanceRate;
  return `${formatRateWithInterval(f.acceptanceRate, f.acceptanceRateLow95, f.acceptanceRateHigh95, target.value)}, ${formatTarget('≥', target)}`;
};

export const overrideLine = (w: DigestWorkflow): string => {
  const f = w.current;
  if (f.overrideRate === null) return 'no reviews';
  const target = w.targets.maxOverrideRate;
  const previous =
    w.previous.overrideRate === null ? '' : `, last week ${formatPercent(w.previous.overrideRate)}`;
  return `${formatRateWithInterval(f.overrideRate, f.overrideRateLow95, f.overrideRateHigh95, target.value)}, ${formatTarget('≤', target)}${previous}`;
};

export const reasonsText = (f: WeekFigures): string =>
  f.topOverrideReasons.map((r) => `${r.reasonCode} ${formatCount(r.count)}`).join(', ');

/** `Finance Operations · production` or `not in the catalog`. */
export const metaText = (w: DigestWorkflow): string =>
  w.inCatalog ? [w.ownerTeam, w.stage].filter(Boolean).join(' · ') : 'not in the catalog';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;
const dayText = (ms: number) => {
  const date = new Date(ms);
  return `${DAY_NAMES[date.getUTCDay()]} ${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]}`;
};

/** `Mon 16 Nov – Sun 22 Nov 2026 (UTC)`. */
export const periodText = (digest: Pick<DigestModel, 'from' | 'to'>): string => {
  const lastMs = Date.parse(digest.to) - 1;
  return `${dayText(Date.parse(digest.from))} – ${dayText(lastMs)} ${new Date(lastMs).getUTCFullYear()} (UTC)`;
};

/** The fleet table rows: label, this week, last week, change. */
export const fleetRows = (digest: DigestModel): Array<[string, string, string, string]> => {
  const { current: c, previous: p, change } = digest.fleet;
  return [
    ['Net value', formatNet(c), formatNet(p), changeText(change.netValueUsd)],
    ['Value', formatValue(c), formatValue(p), changeText(change.valueUsd)],
    ['AI cost', formatCost(c), formatCost(p), changeText(change.costUsd)],
    ['ROI', roiText(c), roiText(p), ''],
    [
      'Hours saved',
      formatHoursSaved(c.hoursSaved),
      formatHoursSaved(p.hoursSaved),
      changeText(change.hoursSaved),
    ],
    ['Runs', formatCount(c.runs), formatCount(p.runs), changeText(change.runs)],
  ];
};
