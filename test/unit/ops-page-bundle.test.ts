import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleOpsPage, cachedOpsPageBundle, OpsPageBundleError } from '../../infra/local/ops-page/bundle.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'ops-bundle-'));

describe('the ops page bundle', () => {
  it('bundles the page from its TypeScript and the shared modules, with no Node built-in and no AWS SDK', async () => {
    // Act
    const { code, inputs } = await bundleOpsPage();

    // Assess
    expect(inputs.some((path) => path.endsWith('infra/local/ops-page/src/main.ts'))).toBe(true);
    for (const shared of [
      'shared/format/figures.ts',
      'shared/format/money.ts',
      'shared/format/rates.ts',
      'shared/time.ts',
    ]) {
      expect(
        inputs.some((path) => path.endsWith(shared)),
        shared,
      ).toBe(true);
    }
    expect(inputs.some((path) => path.endsWith('shared/digest/html-parts.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('shared/verdicts/verdict.ts'))).toBe(true);
    expect(inputs.filter((path) => /node_modules|@aws-sdk/.test(path))).toEqual([]);
    const imports = [...code.matchAll(/\bimport\s*(?:[^'"]*from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports).toEqual([]);
    for (const name of builtinModules) expect(code).not.toContain(`from "node:${name}"`);
  });

  it('refuses a page module that reaches for a Node built-in, at build time', async () => {
    // Prepare
    const entry = join(scratch(), 'main.ts');
    writeFileSync(entry, "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n");

    // Act
    const bundling = bundleOpsPage(entry);

    // Assess
    await expect(bundling).rejects.toBeInstanceOf(OpsPageBundleError);
    await expect(bundling).rejects.toThrow(/node:fs/);
  });

  it('is built once and rebuilt only when one of its sources changes', async () => {
    // Prepare
    const entry = join(scratch(), 'main.ts');
    writeFileSync(entry, "export const version = 'first';\n");
    let builds = 0;
    const current = cachedOpsPageBundle(() => {
      builds++;
      return bundleOpsPage(entry);
    });

    // Act
    const first = await current();
    const again = await current();
    writeFileSync(entry, "export const version = 'second';\n");
    const future = new Date(Date.now() + 60_000);
    utimesSync(entry, future, future);
    const edited = await current();

    // Assess
    expect(again).toBe(first);
    expect(builds).toBe(2);
    expect(first.code).toContain('first');
    expect(edited.code).toContain('second');
    expect(readFileSync(entry, 'utf8')).toContain('second');
  });
});
