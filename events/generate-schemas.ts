import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from './json-schemas.ts';

// `npm run schemas` regenerates the checked-in JSON Schemas for producers in other languages.
const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'schemas');
for (const [file, text] of Object.entries(renderJsonSchemas())) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote events/schemas/${file}`);
}
