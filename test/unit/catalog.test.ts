import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_JSON_SCHEMA_PATH, renderCatalogJsonSchema } from '../../shared/catalog/json-schema.ts';
import {
  CatalogError,
  catalogEnvironmentValue,
  loadCatalogFile,
  loadCatalogFromEnvironment,
  MAX_INLINE_CATALOG_BYTES,
  parseCatalog,
} from '../../shared/catalog/load.ts';

const workflow = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Workflow ${id}`,
  ownerTeam: 'Team',
  stage: 'pilot',
  ...extra,
});

const writeTemp = (name: string, text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'catalog-')), name);
  writeFileSync(file, text);
  return file;
};

const errorOf = (run: () => unknown): CatalogError => {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError');
};

describe('catalog JSON Schema', () => {
  it('is checked in exactly as generated from the zod schema (run `npm run catalog:schema` when this fails)', () => {
    // Prepare
    const checkedIn = JSON.parse(readFileSync(CATALOG_JSON_SCHEMA_PATH, 'utf8'));

    // Act
    const generated = JSON.parse(renderCatalogJsonSchema());

    // Assess: compared as JSON, so that formatting the file does not count as stale
    expect(checkedIn).toEqual(generated);
  });

  it('is what the demo catalog names in $schema, and describes every workflow field for completion', () => {
    // Prepare
    const demo = JSON.parse(readFileSync('catalog.json', 'utf8'));
    const schema = JSON.parse(renderCatalogJsonSchema());

    // Act
    const workflowSchema = schema.properties.workflows.items;

    // Assess
    expect(demo.$schema).toBe(`./${CATALOG_JSON_SCHEMA_PATH}`);
    expect(workflowSchema.required).toEqual(['id', 'name', 'ownerTeam', 'stage']);
    expect(workflowSchema.additionalProperties).toBe(false);
    expect(workflowSchema.properties.valuePerSuccessUsd.description).toContain('re-values history');
    expect(schema.properties.prices.items.required).toContain('asOf');
  });
});

describe('parseCatalog', () => {
  it('loads the demo catalog with its assumptions and lookups', () => {
    // Prepare, Act
    const loaded = loadCatalogFile('catalog.json');

    // Assess
    expect(loaded.origin).toBe('catalog.json');
    expect(loaded.workflow('invoice-triage')?.targets).toEqual({
      maxOverrideRate: 0.15,
      minAcceptanceRate: 0.8,
    });
    expect(loaded.assumptionsFor('invoice-triage')).toEqual({
      valuePerSuccessUsd: 4.5,
      minutesSavedPerSuccess: 6,
    });
    expect(loaded.assumptionsFor('kb-embeddings')).toEqual({});
    expect(loaded.workflow('kb-embeddings')).toBeUndefined();
  });

  it('names the file, the JSON path with the workflow id, and the field of a bad value', () => {
    // Prepare
    const json = {
      version: 1,
      workflows: [workflow('a'), workflow('b', { targets: { maxOverrideRate: 1.5 } })],
    };

    // Act
    const error = errorOf(() => parseCatalog(json, 'catalog.json'));

    // Assess
    expect(error.message).toBe(
      'catalog.json: workflows[1] (b).targets.maxOverrideRate: Too big: expected number to be <=1',
    );
    expect(error.issues).toEqual([
      {
        path: 'workflows[1] (b).targets.maxOverrideRate',
        field: 'maxOverrideRate',
        problem: 'Too big: expected number to be <=1',
      },
    ]);
  });

  it('bounds model prices, so a priced call stays within the cost bound of an event', () => {
    // Act
    const error = errorOf(() =>
      parseCatalog(
        {
          version: 1,
          prices: [{ model: 'm', inputPerMillionUsd: 1e30, outputPerMillionUsd: 1, asOf: '2026-11-01' }],
        },
        'catalog.json',
      ),
    );

    // Assess
    expect(error.message).toContain('prices[0].inputPerMillionUsd');
    expect(error.message).toMatch(/<=\s*1000/);
  });

  it('reports every problem, and names a misspelt field with the one it probably meant', () => {
    // Prepare
    const json = { version: 1, workflows: [workflow('a', { valuePerSucessUsd: 3, stage: 'beta' })] };

    // Act
    const error = errorOf(() => parseCatalog(json, 'catalog.json'));

    // Assess
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'workflows[0] (a).stage',
      'workflows[0] (a).valuePerSucessUsd',
    ]);
    expect(error.issues[1]?.field).toBe('valuePerSucessUsd');
    expect(error.issues[1]?.problem).toMatch(
      /^unknown field; did you mean "valuePerSuccessUsd"\? allowed: id, name, /,
    );
    expect(error.message.split('\n')).toHaveLength(2);
  });

  it('refuses duplicate workflow ids and e-mail addresses that are not addresses', () => {
    // Prepare
    const json = {
      version: 1,
      digest: { recipients: ['not-an-address'] },
      workflows: [workflow('a'), workflow('a')],
    };

    // Act
    const error = errorOf(() => parseCatalog(json, 'c.json'));

    // Assess
    expect(error.issues.map((issue) => [issue.path, issue.problem])).toEqual([
      ['digest.recipients[0]', 'Invalid email address'],
      ['workflows[1] (a).id', 'duplicate workflow id "a"'],
    ]);
  });

  it('refuses another catalog version', () => {
    // Prepare, Act
    const error = errorOf(() => parseCatalog({ version: 2 }, 'c.json'));

    // Assess
    expect(error.path).toBe('version');
    expect(error.problem).toBe('Invalid input: expected 1');
  });
});

describe('loadCatalogFile', () => {
  it('gives the line and column of a JSON syntax error', () => {
    // Prepare
    const file = writeTemp('broken.json', '{\n  "version": 1,\n  "workflows": [,]\n}\n');

    // Act
    const error = errorOf(() => loadCatalogFile(file));

    // Assess
    expect(error.message).toBe(`${file}: not valid JSON: Unexpected token ',' (line 3, column 17)`);
  });

  it('says when the file cannot be read', () => {
    // Prepare, Act
    const error = errorOf(() => loadCatalogFile('/nonexistent/catalog.json'));

    // Assess
    expect(error.message).toBe('/nonexistent/catalog.json: cannot read: ENOENT');
  });
});

describe('loadCatalogFromEnvironment', () => {
  it('prefers inline YARDSTICK_CATALOG, then YARDSTICK_CATALOG_FILE', () => {
    // Prepare
    const file = writeTemp(
      'catalog.json',
      JSON.stringify({ version: 1, workflows: [workflow('from-file')] }),
    );
    const inline = JSON.stringify({ version: 1, workflows: [workflow('inline')] });

    // Act
    const both = loadCatalogFromEnvironment({ YARDSTICK_CATALOG: inline, YARDSTICK_CATALOG_FILE: file });
    const fileOnly = loadCatalogFromEnvironment({ YARDSTICK_CATALOG_FILE: file });

    // Assess
    expect(both.origin).toBe('YARDSTICK_CATALOG');
    expect(both.workflow('inline')).toBeDefined();
    expect(fileOnly.workflow('from-file')).toBeDefined();
  });

  it('round-trips the value the CDK app puts in the environment, without the editor-only $schema', () => {
    // Prepare
    const demo = loadCatalogFile('catalog.json');

    // Act
    const value = catalogEnvironmentValue(demo);
    const reloaded = loadCatalogFromEnvironment({ YARDSTICK_CATALOG: value });

    // Assess
    expect(value).not.toContain('$schema');
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_INLINE_CATALOG_BYTES);
    expect(reloaded.catalog).toEqual({ ...demo.catalog, $schema: undefined });
  });

  it('refuses at synth time a catalog too large for a Lambda environment variable', () => {
    // Prepare
    const workflows = Array.from({ length: 40 }, (_, i) =>
      workflow(`workflow-${i}`, { description: 'x'.repeat(100) }),
    );
    const big = parseCatalog({ version: 1, workflows }, 'big.json');

    // Act
    const error = errorOf(() => catalogEnvironmentValue(big));

    // Assess
    expect(error.message).toMatch(
      /^big\.json: is \d+ bytes minified, more than the 3072 that fit in a Lambda environment variable/,
    );
  });
});
