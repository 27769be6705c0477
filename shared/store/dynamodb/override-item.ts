import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { OverrideDetail } from '../../../events/schemas.ts';
import { Keys } from './keys.ts';

/**
 * The override audit trail's item for one counted override: the real reason code (the counters may
 * fold it into `(other)`), never the reviewer's raw id beyond what the event carried pseudonymised.
 *
 * @example
 * ```ts
 * const item = overrideItem(event.detail, event.source);
 * ```
 */
export const overrideItem = (detail: OverrideDetail, source: string): Record<string, AttributeValue> => {
  const key = Keys.override(detail.workflowId, detail.occurredAt, detail.eventId);
  const item: Record<string, AttributeValue> = {
    pk: { S: key.pk },
    sk: { S: key.sk },
    eventId: { S: detail.eventId },
    occurredAt: { S: detail.occurredAt },
    decision: { S: detail.decision },
    source: { S: source },
  };
  if (detail.runId) item.runId = { S: detail.runId };
  if (detail.reviewerId) item.reviewerId = { S: detail.reviewerId };
  if (detail.reasonCode) item.reasonCode = { S: detail.reasonCode };
  if (detail.reviewMs !== undefined) item.reviewMs = { N: String(detail.reviewMs) };
  return item;
};
