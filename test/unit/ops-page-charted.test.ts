import { describe, expect, it } from 'vitest';
import { ChartBudget } from '../../infra/local/ops-page/src/budgets.ts';
import { chartedWorkflows, isFlagged } from '../../infra/local/ops-page/src/flags.ts';
import type { DigestWorkflow } from '../../shared/digest/model.ts';
import type { WorkflowListEntry } from '../../shared/query/workflow-list.ts';
import { Verdict, type VerdictName } from '../../shared/verdicts/verdict.ts';

// A fleet entry with the figures the choice reads; everything else is neutral.
const entry = (
  workflowId: string,
  figures: { costUsd?: number; valueUsd?: number | null; overrideRate?: number | null },
  targets: WorkflowListEntry['targets'] = {},
): WorkflowListEntry =>
  ({
    workflowId,
    targets,
    last7Days: {
      costUsd: figures.costUsd ?? 0,
      valueUsd: figures.valueUsd ?? null,
      overrideRate: figures.overrideRate ?? null,
      acceptanceRateLow95: null,
      roi: null,
    },
  }) as unknown as WorkflowListEntry;

const verdicts = (byId: Record<string, VerdictName>) => ({
  week: '2026-W49',
  byWorkflow: new Map(
    Object.entries(byId).map(([workflowId, verdict]) => [
      workflowId,
      { workflowId, verdict } as DigestWorkflow,
    ]),
  ),
  portfolio: null,
});

describe('which workflows the ops page charts', () => {
  it('charts at most the budget whatever the fleet size, the largest first', () => {
    // Prepare
    const fleet = Array.from({ length: 5_000 }, (_, i) => entry(`wf-${i}`, { costUsd: i }));

    // Act
    const charted = chartedWorkflows(fleet, null);

    // Assess
    expect(charted.map((w) => w.workflowId)).toEqual(
      Array.from({ length: ChartBudget.total }, (_, i) => `wf-${4_999 - i}`),
    );
  });

  it('keeps the most valuable as well as the costliest', () => {
    // Prepare: cheap but valuable workflows would lose a ranking by cost alone
    const costly = Array.from({ length: 20 }, (_, i) =>
      entry(`costly-${i}`, { costUsd: 100 + i, valueUsd: 0 }),
    );
    const valuable = entry('valuable', { costUsd: 0.01, valueUsd: 50 });

    // Act
    const charted = chartedWorkflows([...costly, valuable], null, { largestEach: 2, total: 4 });

    // Assess
    expect(charted.map((w) => w.workflowId)).toContain('valuable');
    expect(charted).toHaveLength(4);
  });

  it('charts every flagged workflow the budget allows: verdicts that ask for action and missed targets', () => {
    // Prepare
    const big = Array.from({ length: 10 }, (_, i) => entry(`big-${i}`, { costUsd: 100 + i }));
    const fixMe = entry('fix-me', { costUsd: 0.01 });
    const overridden = entry('overridden', { costUsd: 0.02, overrideRate: 0.5 }, { maxOverrideRate: 0.2 });
    const watched = entry('watched', { costUsd: 0.03 });
    const fleet = [...big, fixMe, overridden, watched];
    const digest = verdicts({ 'fix-me': Verdict.fix, watched: Verdict.watch });

    // Act
    const charted = chartedWorkflows(fleet, digest, { largestEach: 2, total: 5 }).map((w) => w.workflowId);

    // Assess
    expect(isFlagged(fixMe, digest.byWorkflow.get('fix-me'))).toBe(true);
    expect(isFlagged(overridden, undefined)).toBe(true);
    expect(isFlagged(watched, digest.byWorkflow.get('watched'))).toBe(false);
    expect(charted).toEqual(['big-9', 'big-8', 'big-7', 'overridden', 'fix-me']);
  });
});
