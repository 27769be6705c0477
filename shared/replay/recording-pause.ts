import {
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { ReplayRefusedError } from './replay-errors.ts';

export interface RecordingPauseOptions {
  readonly lambda: LambdaClient;
  /** The aggregate function's name or ARN. */
  readonly aggregateFunction: string;
  /** Progress lines for the operator. */
  readonly log?: (line: string) => void;
  /** Waits between state polls; tests and the CLI pass their own. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long to wait for the mapping to stop. @default 300_000 */
  readonly timeoutMs?: number;
}

/** A paused recording: `resume()` enables the mapping again (events waited in SQS meanwhile). */
export interface PausedRecording {
  readonly mappingId: string;
  resume(): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stops recording on AWS without losing an event: disables the aggregate function's SQS event source
 * mapping (events wait in the queue, whose retention is days), waits until the mapping reports
 * `Disabled`, then waits one function timeout more so that a batch already handed to the function has
 * finished recording. A mapping that was already disabled is left disabled by `resume()`.
 *
 * @example
 * ```ts
 * const paused = await pauseRecording({ lambda: new LambdaClient({}), aggregateFunction: 'yardstick-Aggregate…' });
 * try { await replay(); } finally { await paused.resume(); }
 * ```
 */
export const pauseRecording = async (options: RecordingPauseOptions): Promise<PausedRecording> => {
  const { lambda, aggregateFunction } = options;
  const sleep = options.sleep ?? defaultSleep;
  const log = options.log ?? (() => undefined);
  const { EventSourceMappings = [] } = await lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: aggregateFunction }),
  );
  const sqs = EventSourceMappings.filter((m) => m.EventSourceArn?.split(':')[2] === 'sqs');
  if (sqs.length !== 1 || !sqs[0]?.UUID)
    throw new ReplayRefusedError(
      `${aggregateFunction} has ${sqs.length} SQS event source mappings; expected the one of the ingestion queue`,
    );
  const mappingId = sqs[0].UUID;
  const wasEnabled = sqs[0].State !== 'Disabled' && sqs[0].State !== 'Disabling';
  if (wasEnabled) {
    log(`pausing recording: disabling event source mapping ${mappingId} (events wait in SQS)`);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mappingId, Enabled: false }));
  }
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    const { State } = await lambda.send(new GetEventSourceMappingCommand({ UUID: mappingId }));
    if (State === 'Disabled') break;
    if (Date.now() > deadline)
      throw new ReplayRefusedError(`event source mapping ${mappingId} is still ${State}; not replaying`);
    await sleep(2_000);
  }
  const { Timeout = 60 } = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: aggregateFunction }),
  );
  log(`mapping disabled; waiting ${Timeout} s (the function timeout) for batches in flight`);
  await sleep(Timeout * 1000);
  return {
    mappingId,
    resume: async () => {
      if (!wasEnabled) return;
      log(`resuming recording: enabling event source mapping ${mappingId}`);
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mappingId, Enabled: true }));
    },
  };
};
