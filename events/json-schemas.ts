import * as z from 'zod';
import { DetailType } from './detail-types.ts';
import { DETAIL_SCHEMAS } from './schemas.ts';

/**
 * Renders one JSON Schema per detail type from the zod schemas, keyed by file name. The checked-in
 * files must equal this output; a test fails when they are stale.
 */
export const renderJsonSchemas = (): Record<string, string> => {
  const files: Record<string, string> = {};
  for (const detailType of Object.values(DetailType)) {
    const schema = z.toJSONSchema(DETAIL_SCHEMAS[detailType], { io: 'input', unrepresentable: 'any' });
    const document = {
      ...schema,
      $id: `https://yardstick.dev/schemas/v1/${detailType}.schema.json`,
      title: detailType,
      description: `Detail of an EventBridge entry with DetailType "${detailType}" (Yardstick event contract v1).`,
    };
    files[`${detailType}.schema.json`] = `${JSON.stringify(document, null, 2)}\n`;
  }
  return files;
};
