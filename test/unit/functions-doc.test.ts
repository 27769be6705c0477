import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../shared/config/functions.ts';
import { FunctionPermissions } from '../../shared/config/permissions.ts';
import { FunctionVariables, Variables } from '../../shared/config/variables.ts';

const doc = readFileSync('docs/functions.md', 'utf8');
const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '').sort();

describe('docs/functions.md', () => {
  it('lists exactly each function’s permissions from the source', () => {
    // Act
    const rows = Object.fromEntries(
      FUNCTION_NAMES.map((name) => {
        const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\``)) ?? '';
        const [, , dynamodb = '', ses = '', events = ''] = row.split('|');
        return [name, { dynamodb: backticked(dynamodb), ses: backticked(ses), events: backticked(events) }];
      }),
    );
    // Assess
    const strip = (actions: readonly string[]) => actions.map((a) => a.slice(a.indexOf(':') + 1)).sort();
    const expected = Object.fromEntries(
      FUNCTION_NAMES.map((name) => {
        const p = FunctionPermissions[name];
        return [name, { dynamodb: strip(p.dynamodb), ses: strip(p.ses), events: strip(p.events) }];
      }),
    );
    expect(rows).toEqual(expected);
  });

  it('documents every variable a function reads', () => {
    // Act
    const documented = Object.values(Variables).filter((v) => doc.includes(`| \`${v.name}\``));
    // Assess
    expect(documented.length).toBe(Object.keys(Variables).length);
    expect(new Set(Object.values(FunctionVariables).flat()).size).toBe(Object.keys(Variables).length);
  });
});
