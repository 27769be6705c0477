import * as z from 'zod';
import { CatalogSchema } from './schema.ts';

/** Where the checked-in schema lives, relative to the repository root. */
export const CATALOG_JSON_SCHEMA_PATH = 'shared/catalog/catalog.schema.json';

/**
 * The catalog's JSON Schema, generated from the zod schema (input side, so fields with defaults are
 * optional). The checked-in `catalog.schema.json` must equal this text; a test fails when it is stale.
 *
 * @example
 * ```ts
 * writeFileSync(CATALOG_JSON_SCHEMA_PATH, renderCatalogJsonSchema());
 * ```
 */
export const renderCatalogJsonSchema = (): string => {
  const schema = z.toJSONSchema(CatalogSchema, { io: 'input', unrepresentable: 'any' });
  const document = {
    ...schema,
    $id: 'https://yardstick.dev/schemas/v1/catalog.schema.json',
    title: 'Yardstick workflow catalog',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};
