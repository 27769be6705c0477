import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG_JSON_SCHEMA_PATH, renderCatalogJsonSchema } from './json-schema.ts';

// `npm run catalog:schema` regenerates the JSON Schema that catalog.json names in `$schema`.
const root = fileURLToPath(new URL('../../', import.meta.url));
writeFileSync(join(root, CATALOG_JSON_SCHEMA_PATH), renderCatalogJsonSchema());
console.log(`wrote ${CATALOG_JSON_SCHEMA_PATH}`);
