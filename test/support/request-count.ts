import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Requests a client sent, by command name, since the last reset. */
export interface RequestCount {
  readonly byCommand: Map<string, number>;
  total(): number;
  reset(): void;
}

/**
 * Counts every request a DynamoDB client is asked to send (each `send`, in the initialize step, so
 * the SDK's retries of a timed-out call are not counted: they depend on the machine, not the code),
 * for tests and benchmarks that bound reads.
 *
 * @example
 * ```ts
 * const requests = countRequests(client);
 * await store.readFleetWeek('2026-W47');
 * requests.total(); // 4
 * ```
 */
export const countRequests = (client: DynamoDBClient): RequestCount => {
  const byCommand = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      byCommand.set(command, (byCommand.get(command) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return {
    byCommand,
    total: () => [...byCommand.values()].reduce((sum, n) => sum + n, 0),
    reset: () => byCommand.clear(),
  };
};
