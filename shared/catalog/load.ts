import { existsSync, readFileSync } from 'node:fs';
import type { Pricer } from '../metrics/counters.ts';
import type { ValueAssumptions } from '../metrics/derive.ts';
import { createPricer } from './pricing.ts';
import { type Catalog, CatalogSchema, type CatalogWorkflow } from './schema.ts';

/** A catalog file that cannot be used, with the file, the path inside it and what is wrong. */
export class CatalogError extends Error {
  constructor(
    readonly origin: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${origin}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'CatalogError';
  }
}

/** A validated catalog with its lookups. */
export interface LoadedCatalog {
  readonly catalog: Catalog;
  readonly origin: string;
  readonly price: Pricer;
  workflow(workflowId: string): CatalogWorkflow | undefined;
  assumptionsFor(workflowId: string): ValueAssumptions;
}

const jsonPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`),
    '',
  );

/**
 * Validates catalog JSON. `origin` names where it came from, for the error message.
 *
 * @example
 * ```ts
 * const loaded = parseCatalog(JSON.parse(text), 'catalog.json');
 * loaded.assumptionsFor('invoice-triage'); // { valuePerSuccessUsd: 4.5, minutesSavedPerSuccess: 6 }
 * ```
 */
export const parseCatalog = (json: unknown, origin: string): LoadedCatalog => {
  const parsed = CatalogSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(origin, jsonPath(issue?.path ?? []), issue?.message ?? 'invalid catalog');
  }
  const catalog = parsed.data;
  const byId = new Map(catalog.workflows.map((workflow) => [workflow.id, workflow]));
  return {
    catalog,
    origin,
    price: createPricer(catalog.prices),
    workflow: (workflowId) => byId.get(workflowId),
    assumptionsFor: (workflowId) => {
      const workflow = byId.get(workflowId);
      return {
        ...(workflow?.valuePerSuccessUsd !== undefined
          ? { valuePerSuccessUsd: workflow.valuePerSuccessUsd }
          : {}),
        ...(workflow?.minutesSavedPerSuccess !== undefined
          ? { minutesSavedPerSuccess: workflow.minutesSavedPerSuccess }
          : {}),
      };
    },
  };
};

/** Reads and validates a catalog file; errors name the file, the path and the field. */
export const loadCatalogFile = (file: string): LoadedCatalog => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogError(
      file,
      '',
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(file, '', `not valid JSON: ${(error as Error).message}`);
  }
  return parseCatalog(json, file);
};

export const EMPTY_CATALOG = { version: 1 } as const;

/**
 * The catalog a function or local mode runs with: inline JSON in `YARDSTICK_CATALOG` (set by the
 * CDK app), else the file named by `YARDSTICK_CATALOG_FILE`, else `catalog.json` in the working
 * folder, else an empty catalog (workflows absent from the catalog are still measured).
 */
export const loadCatalogFromEnvironment = (env: NodeJS.ProcessEnv = process.env): LoadedCatalog => {
  if (env.YARDSTICK_CATALOG) {
    let json: unknown;
    try {
      json = JSON.parse(env.YARDSTICK_CATALOG);
    } catch (error) {
      throw new CatalogError('YARDSTICK_CATALOG', '', `not valid JSON: ${(error as Error).message}`);
    }
    return parseCatalog(json, 'YARDSTICK_CATALOG');
  }
  const file = env.YARDSTICK_CATALOG_FILE ?? (existsSync('catalog.json') ? 'catalog.json' : undefined);
  return file ? loadCatalogFile(file) : parseCatalog(EMPTY_CATALOG, 'built-in empty catalog');
};
