import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../events/detail-types.ts';
import { renderJsonSchemas } from '../../events/json-schemas.ts';
import { INGEST_PATTERN } from '../../events/patterns.ts';
import { validateEvent } from '../../events/validate.ts';
import { matchesEventPattern } from '../../infra/local/event-pattern.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('contract artifacts', () => {
  it.each(Object.entries(renderJsonSchemas()))(
    'checked-in JSON Schema %s equals what the zod schemas generate (run `npm run schemas` if not)',
    (file, generated) => {
      expect(read(`events/schemas/${file}`)).toBe(generated);
    },
  );

  it.each(DETAIL_TYPES)('sample event for %s is valid and routed by the ingestion pattern', (detailType) => {
    // Prepare
    const detail = JSON.parse(read(`events/samples/${detailType}.json`)) as { occurredAt: string };
    const window = { nowMs: Date.parse(detail.occurredAt) + 60_000, latenessMs: 35 * 86_400_000 };

    // Act
    const result = validateEvent({ detailType, source: 'acme.invoice-bot', detail }, window);
    const routed = matchesEventPattern(INGEST_PATTERN, {
      'detail-type': detailType,
      source: 'acme.invoice-bot',
      detail,
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(routed).toBe(true);
  });

  it('keeps AWS service events off the ingestion queue', () => {
    // Act
    const routed = matchesEventPattern(INGEST_PATTERN, {
      'detail-type': 'ai.workflow.usage',
      source: 'aws.events',
      detail: {},
    });

    // Assess
    expect(routed).toBe(false);
  });
});
