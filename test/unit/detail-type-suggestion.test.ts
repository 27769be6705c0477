import { describe, expect, it } from 'vitest';
import { closestDetailType } from '../../events/detail-type-suggestion.ts';
import { defaultTimeWindow, validateEvent } from '../../events/validate.ts';

describe('closestDetailType', () => {
  it.each([
    ['ai.workflow.Usage', 'ai.workflow.usage'],
    ['AI.WORKFLOW.OUTCOME', 'ai.workflow.outcome'],
    [' ai.workflow.override ', 'ai.workflow.override'],
    ['ai.workflow.outcomes', 'ai.workflow.outcome'],
    ['ai.workflow.usgae', 'ai.workflow.usage'],
    ['ai.workflow.cost', undefined],
    ['Scheduled Event', undefined],
    [42, undefined],
  ])('suggests for %j: %s', (value, expected) => {
    expect(closestDetailType(value)).toBe(expected);
  });
});

describe('the unknown_detail_type quarantine message', () => {
  it('names the contract type a wrong-case detail type most likely meant', () => {
    // Act
    const result = validateEvent(
      { detailType: 'ai.workflow.Usage', source: 'acme.bot', detail: {} },
      defaultTimeWindow(),
    );
    // Assess
    expect(result).toMatchObject({ ok: false, rejection: { code: 'unknown_detail_type' } });
    expect(!result.ok && result.rejection.message).toMatch(/did you mean ai\.workflow\.usage\?/);
  });
});
