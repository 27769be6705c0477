import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOUNDS, type BoundedField } from '../../events/bounds.ts';
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

  it.each(Object.entries(BOUNDS))('the checked-in JSON Schemas bound %s by its maximum', (field, bound) => {
    // Prepare
    const schemas = DETAIL_TYPES.map(
      (t) =>
        JSON.parse(read(`events/schemas/${t}.schema.json`)) as {
          properties: Record<string, { maximum?: number }>;
        },
    );

    // Act
    const maxima = schemas.flatMap((schema) =>
      field in schema.properties ? [schema.properties[field]?.maximum] : [],
    );

    // Assess
    expect(maxima.length).toBeGreaterThan(0);
    for (const maximum of maxima) expect(maximum).toBe(bound.max);
  });

  it('every numeric field of the JSON Schemas has a bound in events/bounds.ts', () => {
    // Act
    const numeric = DETAIL_TYPES.flatMap((t) => {
      const schema = JSON.parse(read(`events/schemas/${t}.schema.json`)) as {
        properties: Record<string, { type?: string }>;
      };
      return Object.entries(schema.properties)
        .filter(([field, p]) => (p.type === 'number' || p.type === 'integer') && field !== 'schemaVersion')
        .map(([field]) => field);
    });

    // Assess
    expect(numeric.length).toBeGreaterThan(0);
    for (const field of numeric) expect(Object.keys(BOUNDS)).toContain(field);
  });

  it("docs/contract.md's bounds table states exactly the bounds of events/bounds.ts", () => {
    // Prepare
    const doc = read('docs/contract.md');
    const table = doc.slice(doc.indexOf('<!-- bounds:start -->'), doc.indexOf('<!-- bounds:end -->'));

    // Act
    const rows = Object.fromEntries(
      [...table.matchAll(/^\| `(\w+)` \| ([\d,.]+) \| (\w+) \|/gm)].map(
        ([, field = '', max = '', unit = '']) => [field, { max: Number(max.replaceAll(',', '')), unit }],
      ),
    );

    // Assess
    expect(rows).toEqual(
      Object.fromEntries(
        (Object.keys(BOUNDS) as BoundedField[]).map((field) => [
          field,
          { max: BOUNDS[field].max, unit: BOUNDS[field].unit },
        ]),
      ),
    );
  });
});
