import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProducerLimits } from '../../shared/limits.ts';
import { COUNTER_FIELDS } from '../../shared/metrics/counters.ts';
import { OVERRIDE_CHUNK_BYTES } from '../../shared/store/dynamodb/override-trail.ts';

// The guides state the producer limits as numbers a reader can act on; these tests keep each number
// equal to the constant in code, so changing a limit without its documentation fails here.

const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

describe('the documented limits match shared/limits.ts', () => {
  it('docs/counting.md states every producer limit and the counters per item as the code has them', () => {
    // Act
    const counting = doc('counting.md');
    // Assess
    expect(counting).toContain(`first **${ProducerLimits.reasonCodesPerWorkflow}** distinct codes`);
    expect(counting).toContain(`**${ProducerLimits.newWorkflowsPerDay}** new ids`);
    expect(counting).toContain(`first **${ProducerLimits.variantsPerWorkflow}** named variants`);
    expect(counting).toContain(`whatever is sent: ${COUNTER_FIELDS.length}\ncounters`);
    expect(counting).toContain(`chunks of at most ${OVERRIDE_CHUNK_BYTES / 1024} KB`);
  });

  it('docs/contract.md states the cap on named variants', () => {
    // Assess
    expect(doc('contract.md')).toContain(`at most **${ProducerLimits.variantsPerWorkflow} named variants**`);
  });
});
