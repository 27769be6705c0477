// A namespace import, not `import { z }`: esbuild can then drop what is unused. The `z` re-export
// keeps all of zod, every locale's messages included (about 350 KB more per bundle, minified).
import * as z from 'zod';

/**
 * The EventBridge event envelope, field for field the rules of Powertools'
 * `@aws-lambda-powertools/parser/schemas/eventbridge`. That module does `import { z } from 'zod'`,
 * which pulls every zod locale into the aggregate bundle, so the aggregate function checks the
 * envelope with this copy of the rules instead; a unit test holds the two to the same verdicts and
 * messages (`test/unit/eventbridge-envelope.test.ts`).
 *
 * @example
 * ```ts
 * const envelope = EventBridgeEnvelopeSchema.safeParse(JSON.parse(record.body));
 * if (envelope.success) console.log(envelope.data['detail-type']);
 * ```
 */
export const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  'detail-type': z.string(),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
});

export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;
