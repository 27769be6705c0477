import { describe, expect, it } from 'vitest';
import {
  type BoundedFigures,
  formatBoundedRoi,
  formatCost,
  formatNet,
  formatValue,
  formatValueCoverage,
} from '../../shared/format/figures.ts';
import { formatRoi, formatUsd } from '../../shared/format/money.ts';
import { formatPercent, formatTarget, formatTargetRate } from '../../shared/format/rates.ts';

const figures = (patch: Partial<BoundedFigures> = {}): BoundedFigures => ({
  valueUsd: 1200,
  valueCoverage: 1,
  costUsd: 100,
  costComplete: true,
  netValueUsd: 1100,
  roi: 11,
  ...patch,
});

describe('shared figure formatting: unknown is not zero', () => {
  it('shows complete figures exactly', () => {
    // Act
    const f = figures();

    // Assess
    expect([formatValue(f), formatCost(f), formatNet(f), formatBoundedRoi(f)]).toEqual([
      '$1,200.00',
      '$100.00',
      '$1,100.00',
      '11×',
    ]);
  });

  it('shows a value without a source as unknown, never $0 or a loss', () => {
    // Act
    const f = figures({ valueUsd: null, valueCoverage: 0, netValueUsd: null, roi: null });

    // Assess
    expect([formatValue(f), formatNet(f), formatBoundedRoi(f)]).toEqual(['unknown', 'unknown', 'unknown']);
    expect([formatUsd(null), formatRoi(null)]).toEqual(['unknown', 'unknown']);
  });

  it('marks a partial value, its net and its ROI as lower bounds and says the coverage', () => {
    // Act
    const f = figures({ valueCoverage: 0.6 });

    // Assess
    expect([formatValue(f), formatNet(f), formatBoundedRoi(f)]).toEqual([
      '≥ $1,200.00',
      '≥ $1,100.00',
      '≥ 11×',
    ]);
    expect(formatValueCoverage(0.6)).toBe('value known for 60% of successes');
    expect([formatValueCoverage(1), formatValueCoverage(null)]).toEqual([null, null]);
  });

  it('marks an incomplete cost as a lower bound, or unpriced when nothing was priced, and net as an upper bound', () => {
    // Act
    const partly = figures({ costComplete: false, roi: null });
    const none = figures({ costUsd: 0, costComplete: false, netValueUsd: 1200, roi: null });

    // Assess
    expect([formatCost(partly), formatNet(partly), formatBoundedRoi(partly)]).toEqual([
      '≥ $100.00',
      '≤ $1,100.00',
      'unknown',
    ]);
    expect(formatCost(none)).toBe('unpriced');
  });
});

describe('shared target formatting: a threshold reads as configured', () => {
  it('never rounds a target to a whole percent, unlike a measured rate', () => {
    // Act
    const shown = [0.125, 0.25, 0.0005, 0.07].map(formatTargetRate);

    // Assess
    expect(shown).toEqual(['12.5%', '25%', '0.05%', '7%']);
    expect(formatPercent(0.125)).toBe('13%');
  });

  it('gives a target its direction and says when it is the default rather than the catalog’s', () => {
    // Act
    const fromDefault = formatTarget('≤', { value: 0.25, source: 'default' });
    const fromCatalog = formatTarget('≥', { value: 0.825, source: 'catalog' });

    // Assess
    expect([fromDefault, fromCatalog]).toEqual(['target ≤ 25% (default)', 'target ≥ 82.5%']);
  });
});
