// `npm pack` / `npm run build -w @yardstick/events`: compiles the package's TypeScript to JavaScript and
// declarations in dist/, for consumers on plain Node. Inside this repository nothing reads dist/: the
// `@yardstick/source` export condition resolves the sources (tsconfig customConditions, vitest, tsx).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(dist, { recursive: true, force: true });
// rewriteRelativeImportExtensions turns `./x.ts` into `./x.js` in the JavaScript only.
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: here, stdio: 'inherit' });

// Declarations keep the sources' `.ts` specifiers; `.js` is what every consumer's TypeScript accepts.
const RELATIVE_TS = /((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]+)\.ts(['"])/g;
for (const entry of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!entry.endsWith('.d.ts')) continue;
  const file = join(dist, entry);
  writeFileSync(file, readFileSync(file, 'utf8').replace(RELATIVE_TS, '$1.js$2'));
}
