import { v7 as uuidv7 } from 'uuid';
import { OutcomeStatus } from '../schemas.ts';
import type { OutcomeInput, OverrideInput, Recorder, UsageInput } from './recorder.ts';

type InRun<T> = Omit<T, 'runId'>;

/** The events of one workflow run, all carrying its runId (and userId and variant, if the run has them). */
export interface RunScope {
  readonly runId: string;
  usage(input: InRun<UsageInput>): string | undefined;
  /** `durationMs` defaults to the time since the run started. */
  outcome(input: InRun<OutcomeInput>): string | undefined;
  override(input: InRun<OverrideInput>): string | undefined;
  /** Milliseconds since the run started. */
  elapsedMs(): number;
}

export interface RunOptions {
  /** @default a new UUIDv7 */
  readonly runId?: string;
  /** Applied to every event of the run that names no userId. */
  readonly userId?: string;
  /**
   * The variant of this run (e.g. from `assignVariant(runId, weights)`), carried on every event of
   * the run that names none; it overrides the recorder's `variant`.
   */
  readonly variant?: string;
  /** Record a `failed` outcome when `fn` throws and recorded no outcome. @default true */
  readonly failOnThrow?: boolean;
  /**
   * Record a `succeeded` outcome when `fn` returns and recorded no outcome. Off by default: a
   * success can carry catalog-assumed value, so it should be a decision of the workflow. @default false
   */
  readonly succeedOnReturn?: boolean;
}

/** @internal the implementation of `recorder.run()`. */
export const runWorkflow = async <T>(
  recorder: Recorder,
  fn: (run: RunScope) => T | Promise<T>,
  options: RunOptions,
  now: () => number,
): Promise<T> => {
  const runId = options.runId ?? uuidv7();
  const startedAt = now();
  let outcomeRecorded = false;
  const common = <I extends { userId?: string; variant?: string }>(input: I) => ({
    ...input,
    runId,
    ...(input.userId === undefined && options.userId !== undefined ? { userId: options.userId } : {}),
    ...(input.variant === undefined && options.variant !== undefined ? { variant: options.variant } : {}),
  });
  const scope: RunScope = {
    runId,
    elapsedMs: () => now() - startedAt,
    usage: (input) => recorder.usage(common(input)),
    override: (input) => recorder.override(common(input)),
    outcome: (input) => {
      outcomeRecorded = true;
      return recorder.outcome(common({ durationMs: Math.max(0, Math.round(now() - startedAt)), ...input }));
    },
  };
  let result: T;
  try {
    result = await fn(scope);
  } catch (error) {
    if (!outcomeRecorded && (options.failOnThrow ?? true)) scope.outcome({ status: OutcomeStatus.failed });
    throw error;
  }
  if (!outcomeRecorded && options.succeedOnReturn) scope.outcome({ status: OutcomeStatus.succeeded });
  return result;
};
