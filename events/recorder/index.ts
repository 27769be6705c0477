export { assignVariant, type VariantWeights } from './assign-variant.ts';
export { fullJitterDelay, RetryDefaults, type RetryOptions } from './backoff.ts';
export { entrySize, PutEventsLimits } from './entry-size.ts';
export {
  DropReason,
  type DropReasonName,
  EventsDroppedError,
  EventTooLargeError,
  EventValidationError,
  PiiRefusedError,
  PutEventsRequestError,
  RecorderConfigError,
  RecorderError,
  VariantAssignmentError,
} from './errors.ts';
export { RecorderDefaults, type RecorderOptions } from './options.ts';
export { createPseudonymizer, MIN_SALT_BYTES, type Pseudonymizer } from './pseudonymize.ts';
export type { FlushResult, PutEventsClient, RecorderStats } from './publisher.ts';
export {
  type CommonInput,
  createRecorder,
  type OutcomeInput,
  type OverrideInput,
  type Recorder,
  type UsageInput,
} from './recorder.ts';
export type { RunOptions, RunScope } from './run.ts';
