import { verdictSummary } from '../digest/notes.ts';
import { formatBoundedRoi, formatCost, formatHoursSaved, formatNet, formatValue } from '../format/figures.ts';
import { formatUsd, UNKNOWN } from '../format/money.ts';
import { formatCount, formatPercent, plural } from '../format/rates.ts';
import type { Adoption } from '../metrics/adoption.ts';
import type { FunnelEntry, PilotFunnel, Portfolio, PortfolioFigures } from './model.ts';

/**
 * The portfolio in words, shared by every surface (digest text and HTML, ops page, terminal), so
 * they never disagree. Unknown is never shown as zero.
 */

/** `$1,624.00 (reported $1,200.00, assumed $424.00; measured net $2,900.00 on 1 workflow)`. */
export const portfolioValueText = (f: PortfolioFigures): string => {
  const parts: string[] = [];
  if (f.valueReportedUsd !== 0 || f.valueAssumedUsd !== 0)
    parts.push(`reported ${formatUsd(f.valueReportedUsd)}, assumed ${formatUsd(f.valueAssumedUsd)}`);
  if (f.valueMeasuredNetUsd !== null)
    parts.push(
      `measured net ${formatUsd(f.valueMeasuredNetUsd)} on ${plural(f.measuredWorkflows, 'workflow')}`,
    );
  return `${formatValue(f)}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
};

/** `67% (40 of 60 eligible users)` or `unknown` when no workflow's adoption is known. */
export const portfolioAdoptionText = (f: PortfolioFigures): string => {
  if (f.adoptionRate === null) return UNKNOWN;
  const partial = f.adoptionKnown < f.workflows ? `; known for ${f.adoptionKnown} of ${f.workflows}` : '';
  return `${formatPercent(f.adoptionRate)} (${formatCount(f.activeUsers)} of ${formatCount(f.eligibleUsers)} eligible users${partial})`;
};

/** `(3 workflows: 1 pilot, 2 production)`. */
export const workflowMix = (f: PortfolioFigures): string => {
  const mix = [
    f.pilots > 0 ? plural(f.pilots, 'pilot') : '',
    f.production > 0 ? `${f.production} production` : '',
    f.notInCatalog > 0 ? `${f.notInCatalog} not in the catalog` : '',
  ].filter(Boolean);
  return `${plural(f.workflows, 'workflow')}${mix.length > 1 ? `: ${mix.join(', ')}` : ''}`;
};

/** The figures of one row (or the totals) as label → text, in reading order. */
export const portfolioFacts = (f: PortfolioFigures): ReadonlyArray<readonly [string, string]> => [
  ['Runs', formatCount(f.runs)],
  ['Value', portfolioValueText(f)],
  ['Cost', formatCost(f)],
  ['Net', formatNet(f)],
  ['ROI', formatBoundedRoi(f)],
  ['Hours saved', formatHoursSaved(f.hoursSaved)],
  ['Adoption', portfolioAdoptionText(f)],
  ['Verdicts', verdictSummary(f.verdicts) || 'none'],
];

/** What the funnel asks: `1 pilot ready to promote, 1 workflow to decide whether to stop, 1 new workflow not in the catalog`. */
export const funnelSummary = (funnel: PilotFunnel): string => {
  const asks = [
    funnel.readyToPromote > 0 ? `${plural(funnel.readyToPromote, 'pilot')} ready to promote` : '',
    funnel.decideWhetherToStop > 0
      ? `${plural(funnel.decideWhetherToStop, 'workflow')} to decide whether to stop`
      : '',
    funnel.newWorkflows.length > 0
      ? `${plural(funnel.newWorkflows.length, 'new workflow')} not in the catalog`
      : '',
  ].filter(Boolean);
  return asks.length > 0 ? asks.join(', ') : 'no streak calls for a decision';
};

/** `kb-embeddings (0 runs, 420 usage events)`. */
export const newWorkflowText = (w: PilotFunnel['newWorkflows'][number]): string =>
  `${w.workflowId} (${plural(w.runs, 'run')}${w.usageEvents > 0 ? `, ${plural(w.usageEvents, 'usage event')}` : ''})`;

/** `Contract review (Legal Operations · legal)`. */
export const entryTitle = (e: FunnelEntry): string => {
  const meta = [e.ownerTeam, e.businessFunction].filter(Boolean).join(' · ');
  return `${e.name}${meta ? ` (${meta})` : ''}`;
};

/** `scale 4 weeks running: ready to promote; 14 weeks in pilot`. */
export const entryStatus = (e: FunnelEntry): string => {
  const streak = e.action?.message ?? `${e.streak.label} ${plural(e.streak.weeks, 'week')} running`;
  const pilot =
    e.stage === 'pilot'
      ? e.weeksInPilot === null
        ? 'pilot, start unknown (no pilotSince)'
        : `${plural(e.weeksInPilot, 'week')} in pilot`
      : (e.stage ?? 'not in the catalog');
  return `${streak}; ${pilot}`;
};

/** `–, scale, scale, scale` oldest first; `–` where no archived digest says. */
export const historyText = (e: FunnelEntry): string => e.history.map((h) => h.verdict ?? '–').join(', ');

/** Where the history comes from: `history 2026-W44 to 2026-W49, oldest first, from the digest archive; – marks 2 weeks with no archived digest`. */
export const historySource = (portfolio: Portfolio): string => {
  const { archivedWeeks, missingWeeks } = portfolio.funnel;
  const first = [...archivedWeeks, ...missingWeeks].sort()[0] ?? portfolio.week;
  const missing =
    missingWeeks.length > 0 ? `; – marks ${plural(missingWeeks.length, 'week')} with no archived digest` : '';
  return `history ${first} to ${portfolio.week}, oldest first, from the digest archive${missing}`;
};

/** A workflow's adoption line: `13% of 200 eligible users (25 weekly active, exact); 7.2 runs per active user; weekly active users 25 → 24 → 25 → 25`. */
export const adoptionLine = (a: Adoption): string => {
  if (a.activeUsers === null) return `${UNKNOWN} (no event carried a userId)`;
  const users = `${formatCount(a.activeUsers)} weekly active, ${a.activeUsersExact ? 'exact' : `±${formatPercent(a.activeUsersRelativeError)} (sketch)`}`;
  const rate =
    a.adoptionRate === null || a.eligibleUsers === null
      ? `${UNKNOWN} (${users}; the catalog sets no eligibleUsers)`
      : `${formatPercent(a.adoptionRate)} of ${formatCount(a.eligibleUsers)} eligible users (${users})`;
  const perUser =
    a.runsPerActiveUser === null
      ? ''
      : `; ${a.runsPerActiveUser.toLocaleString('en-US', { maximumFractionDigits: 1 })} runs per active user`;
  const trend =
    a.trend.length > 1
      ? `; weekly active users ${a.trend.map((w) => (w.activeUsers === null ? '?' : formatCount(w.activeUsers))).join(' → ')}`
      : '';
  return `${rate}${perUser}${trend}`;
};
