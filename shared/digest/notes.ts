import { formatCost, formatNet, formatValue, formatValueCoverage } from '../format/figures.ts';
import { formatRoi, formatUsd, UNKNOWN } from '../format/money.ts';
import { formatChange, formatHours, formatPercent, plural } from '../format/rates.ts';
import { ComparisonMinimums } from '../metrics/compare.ts';
import { PROMOTE_AFTER_SCALE_WEEKS, STOP_AFTER_STUCK_WEEKS } from '../portfolio/model.ts';
import {
  DEFAULT_TARGETS,
  MIN_REVIEWS_FOR_TRUST,
  MIN_RUNS_FOR_VERDICT,
  type VerdictName,
} from '../verdicts/verdict.ts';
import type { DigestModel } from './model.ts';

type DigestBase = Omit<DigestModel, 'headline' | 'notes'>;

const VERDICT_PHRASES: Record<VerdictName, string> = {
  scale: 'to scale',
  fix: 'to fix',
  stop: 'to stop',
  stalled: 'stalled',
  unproven: 'unproven',
  watch: 'to watch',
  'not-enough-data': 'without enough data',
};

/** `1 to scale, 2 to fix, 1 unproven`: the verdicts that occur, in digest order. */
export const verdictSummary = (counts: DigestModel['verdictCounts']): string =>
  Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${VERDICT_PHRASES[verdict as VerdictName]}`)
    .join(', ');

const share = (part: number, whole: number) => (whole === 0 ? '' : ` (${formatPercent(part / whole)})`);

/** The one sentence at the top: net value (or value, when net is unknown), its change, the cost, and the verdicts. */
export const digestHeadline = ({ fleet, previousWeek, verdictCounts, workflows }: DigestBase): string => {
  if (workflows.length === 0) return 'No workflow sent events in these two weeks and the catalog lists none.';
  const { current, change } = fleet;
  const cost = `${formatCost(current)} of AI cost`;
  if (current.netValueUsd === null) {
    const coverage = formatValueCoverage(current.valueCoverage);
    return `Value ${formatValue(current)} this week${coverage ? ` (${coverage})` : ''} on ${cost}; net value ${UNKNOWN}: ${verdictSummary(verdictCounts)}.`;
  }
  const trend =
    change.netValueUsd.current === null || change.netValueUsd.previous === null
      ? null
      : formatChange(change.netValueUsd.current, change.netValueUsd.previous);
  return `Net value ${formatNet(current)} this week${trend ? ` (${trend} on ${previousWeek})` : ''} on ${cost}: ${verdictSummary(verdictCounts)}.`;
};

/** Where the figures came from: reported or assumed, priced or unpriced, and the rules' thresholds. */
export const digestNotes = ({ fleet: { current }, workflows }: DigestBase): string[] => {
  const notes: string[] = [];
  const valueAssumptions = workflows
    .filter((w) => w.assumptions.valuePerSuccessUsd !== null && w.current.valueAssumedUsd > 0)
    .map((w) => `${w.workflowId} ${formatUsd(w.assumptions.valuePerSuccessUsd ?? 0)}`);
  const knownValue = current.valueUsd ?? 0;
  const coverage = formatValueCoverage(current.valueCoverage);
  notes.push(
    `Value ${formatValue(current)}${coverage ? ` (${coverage})` : ''}: ${formatUsd(current.valueReportedUsd)}${share(current.valueReportedUsd, knownValue)} reported by the workflows, ${formatUsd(current.valueAssumedUsd)}${share(current.valueAssumedUsd, knownValue)} assumed from the catalog's value per success${valueAssumptions.length ? ` (${valueAssumptions.join(', ')})` : ''}.`,
  );
  const unvalued = workflows.filter((w) => w.current.valueUsd === null && w.current.succeeded > 0);
  if (unvalued.length > 0)
    notes.push(
      `Value is ${UNKNOWN}, not $0, for ${unvalued.map((w) => w.workflowId).join(', ')}: no success reported valueUsd and the catalog sets no valuePerSuccessUsd.`,
    );
  notes.push(
    current.hoursSaved === null
      ? `Hours saved are ${UNKNOWN}, not 0: no run reported minutesSaved and the catalog sets no minutesSavedPerSuccess.`
      : `Hours saved ${formatHours(current.hoursSaved)}: ${formatHours(current.hoursSavedReported)} reported, ${formatHours(current.hoursSavedAssumed)} assumed from the catalog's minutes per success.`,
  );
  const priceEntries = [...new Set(workflows.flatMap((w) => Object.keys(w.pricedBy)))].sort();
  notes.push(
    `AI cost ${formatCost(current)}: ${formatUsd(current.costReportedUsd)} reported by the workflows, ${formatUsd(current.costCatalogPricedUsd)} priced at ingestion from the price table${priceEntries.length ? ` (${priceEntries.join(', ')})` : ''}.`,
  );
  const unpriced = workflows.filter((w) => w.current.unpricedUsageEvents > 0);
  if (unpriced.length > 0) {
    notes.push(
      `Cost is understated: ${plural(current.unpricedUsageEvents, 'usage event')} (${unpriced.map((w) => w.workflowId).join(', ')}) used models with no price and count as unknown, not $0.`,
    );
  }
  const measured = workflows.filter((w) => w.variants?.comparisons.length).map((w) => w.workflowId);
  if (measured.length > 0)
    notes.push(
      `Measured (${measured.join(', ')}): each variant against the catalog's baseline variant. Measured value is the time per run saved against the baseline, priced at the catalog's labour cost per hour, less the extra AI cost, times the variant's runs, with its 95% Welch interval; it is claimed only with ${ComparisonMinimums.valuesPerArm} timed runs in each arm. It is compared with the catalog's value per success as (measured value + the extra AI cost) ÷ the variant's successes. Where it is claimed against a human-only baseline, the verdict judges ROI on it instead of the assumption. Observational comparisons may be confounded: only randomised ones show the variant's effect.`,
    );
  const uncatalogued = workflows.filter((w) => !w.inCatalog).map((w) => w.workflowId);
  if (uncatalogued.length > 0) {
    notes.push(
      `Not in the catalog, measured anyway: ${uncatalogued.join(', ')}. Add them to catalog.json to give them names, owners, assumptions and targets.`,
    );
  }
  notes.push(
    `Rates carry 95% Wilson intervals. No verdict is given below ${MIN_RUNS_FOR_VERDICT} runs a week; acceptance and override rules need ${MIN_REVIEWS_FOR_TRUST} reviews. Missing catalog targets default to overrides ≤ ${formatPercent(DEFAULT_TARGETS.maxOverrideRate)}, acceptance ≥ ${formatPercent(DEFAULT_TARGETS.minAcceptanceRate)}, ROI ≥ ${formatRoi(DEFAULT_TARGETS.minRoi)}, adoption ≥ ${formatPercent(DEFAULT_TARGETS.minAdoptionRate)} of eligible users, weekly active users not down ${formatPercent(DEFAULT_TARGETS.maxAdoptionDrop)} against the three weeks before. Streaks in the portfolio read the archived digests: scale ${PROMOTE_AFTER_SCALE_WEEKS} weeks running makes a pilot ready to promote; unproven or stalled ${STOP_AFTER_STUCK_WEEKS} weeks running asks whether to stop.`,
  );
  return notes;
};
