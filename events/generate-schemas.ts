import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from './json-schemas.ts';

// `npm run schemas` regenerates the checked-in JSON Schemas for producers in other languages, and the
// copies the Python recorder ships as package data (test/e2e/python-recorder.test.ts checks both).
const root = fileURLToPath(new URL('..', import.meta.url));
const targets = ['events/schemas', 'recorders/python/yardstick_recorder/schemas'];
for (const [file, text] of Object.entries(renderJsonSchemas())) {
  for (const dir of targets) {
    writeFileSync(join(root, dir, file), text);
    console.log(`wrote ${dir}/${file}`);
  }
}
