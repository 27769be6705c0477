import { parseCatalog } from '../../shared/catalog/load.ts';
import { buildDigest } from '../../shared/digest/build.ts';
import type { DigestModel } from '../../shared/digest/model.ts';
import { type Counters, emptyCounters } from '../../shared/metrics/counters.ts';

const NANOS_PER_USD = 1_000_000_000n;

/** The shapes a synthetic workflow's two weeks take, each chosen to reach one verdict. */
export const FleetShape = {
  scale: 'scale',
  watch: 'watch',
  unproven: 'unproven',
  notEnoughData: 'not-enough-data',
  fix: 'fix',
  stop: 'stop',
  stalled: 'stalled',
} as const;
export type FleetShapeName = (typeof FleetShape)[keyof typeof FleetShape];

const FLAGGED_SHAPES = [FleetShape.fix, FleetShape.stop, FleetShape.stalled] as const;
// Of every ten unflagged workflows: six healthy, and one of each kind that lacks evidence.
const UNFLAGGED_SHAPES = [
  ...Array<FleetShapeName>(7).fill(FleetShape.scale),
  FleetShape.watch,
  FleetShape.unproven,
  FleetShape.notEnoughData,
];

/** Workflow `i`'s shape: every `flaggedEvery`-th is flagged (fix, stop, stalled in turn). */
export const fleetShape = (i: number, flaggedEvery: number): FleetShapeName =>
  i % flaggedEvery === 0
    ? (FLAGGED_SHAPES[(i / flaggedEvery) % FLAGGED_SHAPES.length] as FleetShapeName)
    : (UNFLAGGED_SHAPES[i % UNFLAGGED_SHAPES.length] as FleetShapeName);

const week = (runs: number, costUsdPerRun: number, accepted: number, overridden: number): Counters => {
  const c = emptyCounters();
  const succeeded = BigInt(Math.round(runs * 0.95));
  Object.assign(c.values, {
    usageEvents: BigInt(runs),
    costReportedNanos: BigInt(Math.round(runs * costUsdPerRun * 1e9)) || NANOS_PER_USD / 100n,
    succeeded,
    failed: BigInt(runs) - succeeded,
    accepted: BigInt(accepted),
    edited: BigInt(overridden),
  });
  if (overridden > 0) c.reasons.set('hallucination', BigInt(overridden));
  return c;
};

/**
 * A fleet of `size` catalogued workflows with realistic names and figures (40 to 840 runs a week,
 * up to $5 of value per success, cents of AI cost per run), built into a digest in memory through the real `buildDigest`: no database.
 * Deterministic, so benchmarks and tests see the same fleet every run.
 *
 * @example
 * ```ts
 * const digest = syntheticDigest(2000, { flaggedEvery: 100 }); // 20 flagged workflows
 * ```
 */
export const syntheticDigest = (size: number, { flaggedEvery = 100 } = {}): DigestModel => {
  const shapes = Array.from({ length: size }, (_, i) => fleetShape(i, flaggedEvery));
  const workflows = shapes.map((shape, i) => ({
    id: `wf-${String(i).padStart(5, '0')}`,
    name: `${['Invoice', 'Support', 'Contract', 'Claims', 'Onboarding'][i % 5]} ${['triage', 'assistant', 'summaries', 'review'][i % 4]} ${i}`,
    ownerTeam: ['Finance Operations', 'Customer Support', 'Legal', 'People'][i % 4] as string,
    stage: i % 3 === 0 ? 'pilot' : 'production',
    ...(shape === FleetShape.unproven
      ? {}
      : { valuePerSuccessUsd: shape === FleetShape.stop ? 0.01 : 0.5 + (i % 10) * 0.5 }),
  }));
  const catalog = parseCatalog({ version: 1, workflows }, 'synthetic-catalog.json');
  return buildDigest({
    week: '2026-W47',
    generatedAt: '2026-11-25T12:00:00.000Z',
    catalog,
    workflows: shapes.map((shape, i) => {
      const runs = shape === FleetShape.notEnoughData ? 6 : 40 + ((i * 7919) % 800);
      const costPerRun = shape === FleetShape.stop ? 0.5 : 0.002 + (i % 9) * 0.003;
      const reviews = shape === FleetShape.watch ? 5 : Math.min(runs, 200);
      const overridden = Math.round(reviews * (shape === FleetShape.fix ? 0.6 : 0.08));
      const current = week(runs, costPerRun, reviews - overridden, overridden);
      const previousRuns = shape === FleetShape.stalled ? runs * 4 : runs;
      return {
        workflowId: workflows[i]?.id as string,
        current,
        previous: week(previousRuns, costPerRun, reviews - overridden, overridden),
      };
    }),
  });
};
