/**
 * The producer-side surface of Yardstick: the event contract and the TypeScript recorder, plus the
 * OpenTelemetry GenAI bridge for applications that already emit GenAI spans.
 *
 * @example
 * ```ts
 * import { createRecorder } from './events/index.ts';
 * const recorder = createRecorder({ workflowId: 'invoice-triage', source: 'acme.invoice-bot' });
 * ```
 */
export { DETAIL_TYPES, DetailType, type DetailTypeName } from './detail-types.ts';
export * from './otel/index.ts';
export * from './recorder/index.ts';
export {
  looksLikePii,
  type OutcomeDetail,
  OutcomeDetailSchema,
  OutcomeStatus,
  OverrideDecision,
  type OverrideDetail,
  OverrideDetailSchema,
  type UsageDetail,
  UsageDetailSchema,
  type WorkflowEvent,
} from './schemas.ts';
export {
  defaultTimeWindow,
  type Rejection,
  RejectionCode,
  type ValidationResult,
  validateEvent,
} from './validate.ts';
