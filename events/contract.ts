/**
 * The v1 event contract on its own, for consumers that validate or route events without recording
 * them: the detail types, the zod schemas and their types, validation with stable rejection codes,
 * the personal-data check and the EventBridge patterns. The JSON Schemas generated from the zod
 * schemas are exported as `@yardstick/events/schemas/<detail-type>.schema.json`.
 *
 * @example
 * ```ts
 * import { defaultTimeWindow, validateEvent } from '@yardstick/events/contract';
 * const result = validateEvent({ detailType: 'ai.workflow.usage', source: 'acme.bot', detail }, defaultTimeWindow());
 * if (!result.ok) console.warn(result.rejection.code, result.rejection.message);
 * ```
 */
export { BOUNDS, type BoundedField } from './bounds.ts';
export { DETAIL_TYPES, DetailType, type DetailTypeName, isDetailType } from './detail-types.ts';
export { EventTimeRules } from './event-time.ts';
export { canonicalInstant } from './instant.ts';
export { renderJsonSchemas } from './json-schemas.ts';
export { DETAIL_TYPE_NAMESPACE, INGEST_PATTERN, INGESTION_RULES } from './patterns.ts';
export { type PiiSignal, piiSignal } from './pii.ts';
export {
  DEFAULT_VARIANT,
  DETAIL_SCHEMAS,
  EventIdSchema,
  looksLikePii,
  type OutcomeDetail,
  OutcomeDetailSchema,
  OutcomeStatus,
  OverrideDecision,
  type OverrideDetail,
  OverrideDetailSchema,
  PII_SUSPECTED,
  type UsageDetail,
  UsageDetailSchema,
  VariantSchema,
  type WorkflowEvent,
  WorkflowIdSchema,
} from './schemas.ts';
export {
  DEFAULT_FUTURE_SKEW_MS,
  DEFAULT_LATENESS_DAYS,
  defaultTimeWindow,
  type Rejection,
  RejectionCode,
  type RejectionCodeName,
  type TimeWindow,
  type ValidationResult,
  validateEvent,
} from './validate.ts';
