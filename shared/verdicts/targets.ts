import type { WorkflowTargets } from '../catalog/schema.ts';
import { DEFAULT_TARGETS, type EffectiveTarget, type EffectiveTargets } from './verdict.ts';

const pick = (catalogValue: number | undefined, fallback: number): EffectiveTarget =>
  catalogValue === undefined
    ? { value: fallback, source: 'default' }
    : { value: catalogValue, source: 'catalog' };

/**
 * The targets in force for a workflow: the catalog's where set, the documented defaults otherwise.
 *
 * @example
 * ```ts
 * effectiveTargets({ maxOverrideRate: 0.2 }).minAcceptanceRate; // { value: 0.7, source: 'default' }
 * ```
 */
export const effectiveTargets = (targets: WorkflowTargets = {}): EffectiveTargets => ({
  maxOverrideRate: pick(targets.maxOverrideRate, DEFAULT_TARGETS.maxOverrideRate),
  minAcceptanceRate: pick(targets.minAcceptanceRate, DEFAULT_TARGETS.minAcceptanceRate),
  minRoi: pick(targets.minRoi, DEFAULT_TARGETS.minRoi),
  minAdoptionRate: pick(targets.minAdoptionRate, DEFAULT_TARGETS.minAdoptionRate),
  maxAdoptionDrop: pick(targets.maxAdoptionDrop, DEFAULT_TARGETS.maxAdoptionDrop),
  minWeeklyRuns:
    targets.minWeeklyRuns === undefined ? null : { value: targets.minWeeklyRuns, source: 'catalog' },
});
