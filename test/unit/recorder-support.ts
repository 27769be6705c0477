import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  PutEventsCommand,
  PutEventsCommandOutput,
  PutEventsRequestEntry,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import type { PutEventsClient } from '../../events/recorder/publisher.ts';

type Answer = PutEventsResultEntry | undefined;

/**
 * An in-memory EventBridge for unit tests: records every PutEvents call and answers each entry with
 * `answer` (undefined = accepted), or fails the whole call when `failRequest` returns an error.
 */
export class FakeEventBridge implements PutEventsClient {
  readonly calls: PutEventsRequestEntry[][] = [];
  /** Entries that were answered with an EventId. */
  readonly accepted: PutEventsRequestEntry[] = [];
  answer: (entry: PutEventsRequestEntry, callIndex: number) => Answer = () => undefined;
  failRequest: (callIndex: number) => Error | undefined = () => undefined;
  #ids = 0;

  async send(command: PutEventsCommand): Promise<PutEventsCommandOutput> {
    const entries = command.input.Entries ?? [];
    const callIndex = this.calls.push(entries) - 1;
    const failure = this.failRequest(callIndex);
    if (failure) throw failure;
    const results = entries.map((entry) => {
      const answer = this.answer(entry, callIndex);
      if (answer) return answer;
      this.accepted.push(entry);
      return { EventId: `fake-${++this.#ids}` };
    });
    return {
      $metadata: { httpStatusCode: 200 },
      FailedEntryCount: results.filter((r) => r.ErrorCode).length,
      Entries: results,
    };
  }

  /** The detail of every entry sent, in order, across all calls. */
  details(): Array<Record<string, unknown>> {
    return this.calls.flat().map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>);
  }

  /** The eventIds of the entries accepted. */
  acceptedEventIds(): string[] {
    return this.accepted.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId);
  }

  eventIdsOfCall(index: number): string[] {
    return (this.calls[index] ?? []).map(
      (entry) => (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId,
    );
  }
}

/** A network failure as the AWS SDK surfaces it: no HTTP status. */
export const connectionRefused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { name: 'Error', code: 'ECONNREFUSED' });

/** The smallest AsyncLocalStorage context manager, so `context.active()` follows active spans in tests. */
export class TestContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(context, () => fn.call(thisArg, ...args));
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}
