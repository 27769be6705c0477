import { existsSync, readFileSync } from 'node:fs';
import { YardstickError } from '../errors.ts';
import type { Pricer } from '../metrics/counters.ts';
import type { ValueAssumptions } from '../metrics/derive.ts';
import { type CatalogIssue, catalogIssues } from './issues.ts';
import { createPricer } from './pricing.ts';
import { type Catalog, CatalogSchema, type CatalogWorkflow } from './schema.ts';

const describe = (origin: string, issue: CatalogIssue) =>
  `${origin}: ${issue.path ? `${issue.path}: ` : ''}${issue.problem}`;

/**
 * A catalog that cannot be used. The message names the file, and for each problem the JSON path and
 * what is wrong; `path` and `problem` are those of the first problem, `issues` lists them all.
 */
export class CatalogError extends YardstickError {
  readonly issues: readonly CatalogIssue[];

  constructor(
    readonly origin: string,
    readonly path: string,
    readonly problem: string,
    issues?: readonly CatalogIssue[],
  ) {
    const all = issues ?? [
      {
        path,
        field:
          path
            .split(/[.[\]]/)
            .filter(Boolean)
            .at(-1) ?? '',
        problem,
      },
    ];
    super(all.map((issue) => describe(origin, issue)).join('\n'));
    this.issues = all;
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
    const issues = catalogIssues(parsed.error.issues, json);
    const first = issues[0] ?? { path: '', field: '', problem: 'invalid catalog' };
    throw new CatalogError(origin, first.path, first.problem, issues);
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

// JSON.parse names no position for some errors. The first offending character is where a prefix of
// the text stops failing as merely incomplete ("end of input") and starts failing as wrong.
const isIncomplete = (prefix: string): boolean => {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    return /end of (JSON )?input|Unterminated string/i.test(message) || Number(position) >= prefix.length;
  }
};

const withLineAndColumn = (message: string, text: string): string => {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (isIncomplete(text.slice(0, middle + 1))) low = middle + 1;
    else high = middle;
  }
  // V8 quotes the surrounding text, newlines and all; the line and column say it better.
  const short = message.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '');
  if (low >= text.length) return short;
  const before = text.slice(0, low).split('\n');
  return `${short} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
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
    throw new CatalogError(file, '', `not valid JSON: ${withLineAndColumn((error as Error).message, text)}`);
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

/** Lambda caps all environment variables of a function at 4 KB together; leave room for the others. */
export const MAX_INLINE_CATALOG_BYTES = 3_072;

/**
 * The `YARDSTICK_CATALOG` value the CDK app gives each function: the validated catalog, minified,
 * without the editor-only `$schema`. Refuses a catalog too large for Lambda's 4 KB environment, so
 * that the stack fails at synth rather than at deploy; bundle the file and set
 * `YARDSTICK_CATALOG_FILE` instead when that happens.
 *
 * @example
 * ```ts
 * environment: { YARDSTICK_CATALOG: catalogEnvironmentValue(loadCatalogFile('catalog.json')) }
 * ```
 */
export const catalogEnvironmentValue = (loaded: LoadedCatalog): string => {
  const { $schema: _editorOnly, ...catalog } = loaded.catalog;
  const value = JSON.stringify(catalog);
  const bytes = Buffer.byteLength(value);
  if (bytes > MAX_INLINE_CATALOG_BYTES) {
    throw new CatalogError(
      loaded.origin,
      '',
      `is ${bytes} bytes minified, more than the ${MAX_INLINE_CATALOG_BYTES} that fit in a Lambda environment variable; bundle the file with the function and set YARDSTICK_CATALOG_FILE instead`,
    );
  }
  return value;
};
