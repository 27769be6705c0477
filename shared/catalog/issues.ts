import type { z } from 'zod';
import { CatalogSchema } from './schema.ts';

/** One problem in a catalog: where (JSON path), which field, and what is wrong. */
export interface CatalogIssue {
  /** `workflows[1].targets.maxOverrideRate`; empty for the document itself. */
  readonly path: string;
  /** The offending field's name, or empty for the document itself. */
  readonly field: string;
  readonly problem: string;
}

type Key = PropertyKey;
type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

export const jsonPath = (path: readonly Key[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`),
    '',
  );

// Walks the zod schema along a path, through defaults, optionals and arrays, to list allowed keys.
const allowedKeys = (path: readonly Key[]): string[] => {
  let node = CatalogSchema as unknown as AnySchema;
  const unwrap = () => {
    while (['default', 'optional', 'nullable', 'pipe'].includes(node._zod.def.type)) {
      node = (node._zod.def.innerType ?? node._zod.def.in) as AnySchema;
    }
  };
  for (const key of path) {
    unwrap();
    if (node._zod.def.type === 'array' && typeof key === 'number') node = node._zod.def.element as AnySchema;
    else if (node._zod.def.type === 'object') {
      const next = (node._zod.def.shape as Record<string, AnySchema>)[String(key)];
      if (!next) return [];
      node = next;
    } else return [];
  }
  unwrap();
  return node._zod.def.type === 'object' ? Object.keys(node._zod.def.shape as object) : [];
};

// Levenshtein distance, to suggest the field a typo meant.
const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
};

const unknownKeyProblem = (key: string, allowed: readonly string[]): string => {
  const closest = allowed
    .map((candidate) => ({ candidate, d: distance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  const hint = closest && closest.d <= 3 ? ` did you mean "${closest.candidate}"?` : '';
  return `unknown field;${hint} allowed: ${allowed.join(', ')}`;
};

/**
 * Turns zod issues into catalog issues that name the path and the field, one per unknown key, and
 * label workflow entries with their id so that `workflows[3]` is recognisable.
 *
 * @example
 * ```ts
 * catalogIssues(result.error.issues, json); // [{ path: 'workflows[0].targets.maxOverrideRate', field: 'maxOverrideRate', problem: 'Too big: …' }]
 * ```
 */
export const catalogIssues = (issues: readonly z.core.$ZodIssue[], json: unknown): CatalogIssue[] =>
  issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const last = path.at(-1);
      return {
        path: labelled(path, json),
        field: typeof last === 'string' ? last : '',
        problem: key === undefined ? issue.message : unknownKeyProblem(key, allowedKeys(issue.path)),
      };
    });
  });

const labelled = (path: readonly Key[], json: unknown): string => {
  const text = jsonPath(path);
  if (path[0] !== 'workflows' || typeof path[1] !== 'number') return text;
  const id = (json as { workflows?: Array<{ id?: unknown }> })?.workflows?.[path[1]]?.id;
  if (typeof id !== 'string') return text;
  const head = `workflows[${path[1]}]`;
  return `${head} (${id})${text.slice(head.length)}`;
};
