import type { DigestWorkflow } from '../digest/model.ts';
import { netIsKnown, roiIsKnown } from '../metrics/derive.ts';
import { nanosToUsd, toScaledInteger, usdToNanos } from '../money.ts';
import { VERDICT_ORDER, type VerdictName } from '../verdicts/verdict.ts';
import type { PortfolioFigures } from './model.ts';

// Hours are kept to 1e-4 h in the metrics (derive.ts); sums are carried in that integer unit.
const HOUR_DECIMALS = 4;
const VERDICTS = VERDICT_ORDER;

/**
 * The additive parts of {@link PortfolioFigures}: integers only (money in nano-USD), so adding tallies
 * is exact and associative and a table's totals are the sum of its rows by construction.
 */
export interface Tally {
  readonly workflows: number;
  readonly pilots: number;
  readonly production: number;
  readonly notInCatalog: number;
  readonly runs: number;
  readonly succeeded: number;
  readonly valuedSuccesses: number;
  readonly valueKnown: number;
  readonly valueNanos: bigint;
  readonly valueReportedNanos: bigint;
  readonly valueAssumedNanos: bigint;
  readonly measured: number;
  readonly measuredNanos: bigint;
  readonly costNanos: bigint;
  readonly unpricedUsageEvents: number;
  readonly hoursKnown: number;
  readonly hoursUnits: bigint;
  readonly adoptionKnown: number;
  readonly activeUsers: number;
  readonly eligibleUsers: number;
  readonly verdicts: Readonly<Record<VerdictName, number>>;
}

const noVerdicts = () => Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<VerdictName, number>;

export const EMPTY_TALLY: Tally = {
  workflows: 0,
  pilots: 0,
  production: 0,
  notInCatalog: 0,
  runs: 0,
  succeeded: 0,
  valuedSuccesses: 0,
  valueKnown: 0,
  valueNanos: 0n,
  valueReportedNanos: 0n,
  valueAssumedNanos: 0n,
  measured: 0,
  measuredNanos: 0n,
  costNanos: 0n,
  unpricedUsageEvents: 0,
  hoursKnown: 0,
  hoursUnits: 0n,
  adoptionKnown: 0,
  activeUsers: 0,
  eligibleUsers: 0,
  verdicts: noVerdicts(),
};

/** One workflow's week as a tally. */
export const tallyOf = (w: DigestWorkflow): Tally => {
  const f = w.current;
  const measured = w.variants?.verdictMeasuredValue ?? null;
  const a = w.adoption;
  const adoptionKnown = a.adoptionRate !== null && a.activeUsers !== null && a.eligibleUsers !== null;
  return {
    workflows: 1,
    pilots: w.stage === 'pilot' ? 1 : 0,
    production: w.stage === 'production' ? 1 : 0,
    notInCatalog: w.inCatalog ? 0 : 1,
    runs: f.runs,
    succeeded: f.succeeded,
    valuedSuccesses: f.valuedSuccesses,
    valueKnown: f.valueUsd === null ? 0 : 1,
    valueNanos: f.valueUsd === null ? 0n : usdToNanos(f.valueUsd),
    valueReportedNanos: usdToNanos(f.valueReportedUsd),
    valueAssumedNanos: usdToNanos(f.valueAssumedUsd),
    measured: measured ? 1 : 0,
    measuredNanos: measured ? usdToNanos(measured.netValueUsd) : 0n,
    costNanos: usdToNanos(f.costUsd),
    unpricedUsageEvents: f.unpricedUsageEvents,
    hoursKnown: f.hoursSaved === null ? 0 : 1,
    hoursUnits: f.hoursSaved === null ? 0n : toScaledInteger(f.hoursSaved, HOUR_DECIMALS),
    adoptionKnown: adoptionKnown ? 1 : 0,
    activeUsers: adoptionKnown ? (a.activeUsers ?? 0) : 0,
    eligibleUsers: adoptionKnown ? (a.eligibleUsers ?? 0) : 0,
    verdicts: { ...noVerdicts(), [w.verdict]: 1 },
  };
};

/** The sum of two tallies. */
export const addTally = (a: Tally, b: Tally): Tally => {
  const sum = { ...a } as Record<string, unknown>;
  for (const key of Object.keys(a) as (keyof Tally)[]) {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'number' && typeof y === 'number') sum[key] = x + y;
    else if (typeof x === 'bigint' && typeof y === 'bigint') sum[key] = x + y;
  }
  sum.verdicts = Object.fromEntries(VERDICTS.map((v) => [v, a.verdicts[v] + b.verdicts[v]]));
  return sum as unknown as Tally;
};

export const sumTallies = (tallies: readonly Tally[]): Tally => tallies.reduce(addTally, EMPTY_TALLY);

const ratio = (part: number, whole: number, digits = 6) =>
  whole === 0 ? null : Math.round((part / whole) * 10 ** digits) / 10 ** digits;

/**
 * A tally as figures, with the fleet's rules for what is unknown (digest/figures.ts, fleetFigures).
 *
 * @example
 * ```ts
 * figuresOf(sumTallies(workflows.map(tallyOf))).roi; // null when any usage is unpriced
 * ```
 */
export const figuresOf = (t: Tally): PortfolioFigures => {
  const costComplete = t.unpricedUsageEvents === 0;
  const valueKnown = t.valueKnown > 0;
  const netKnown = netIsKnown({ valueKnown, valueComplete: t.valuedSuccesses === t.succeeded, costComplete });
  const netNanos = t.valueNanos - t.costNanos;
  const roiKnown = roiIsKnown({ netKnown, costComplete, costIsZero: t.costNanos === 0n });
  return {
    workflows: t.workflows,
    pilots: t.pilots,
    production: t.production,
    notInCatalog: t.notInCatalog,
    runs: t.runs,
    succeeded: t.succeeded,
    valuedSuccesses: t.valuedSuccesses,
    valueCoverage: ratio(t.valuedSuccesses, t.succeeded),
    valueUsd: valueKnown ? nanosToUsd(t.valueNanos) : null,
    valueReportedUsd: nanosToUsd(t.valueReportedNanos),
    valueAssumedUsd: nanosToUsd(t.valueAssumedNanos),
    valueMeasuredNetUsd: t.measured > 0 ? nanosToUsd(t.measuredNanos) : null,
    measuredWorkflows: t.measured,
    costUsd: nanosToUsd(t.costNanos),
    costComplete,
    unpricedUsageEvents: t.unpricedUsageEvents,
    netValueUsd: netKnown ? nanosToUsd(netNanos) : null,
    roi: roiKnown ? Math.round((Number(netNanos) / Number(t.costNanos)) * 1e4) / 1e4 : null,
    hoursSaved: t.hoursKnown > 0 ? Number(t.hoursUnits) / 10 ** HOUR_DECIMALS : null,
    activeUsers: t.activeUsers,
    eligibleUsers: t.eligibleUsers,
    adoptionRate: ratio(t.activeUsers, t.eligibleUsers, 4),
    adoptionKnown: t.adoptionKnown,
    verdicts: t.verdicts,
  };
};
