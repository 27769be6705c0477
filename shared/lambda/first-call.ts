/** A Lambda handler: what `index.ts` exports as `handler`. */
export type LambdaHandler<E, C, R> = (event: E, context: C) => Promise<R>;

/**
 * A handler whose dependencies are loaded by the first invocation instead of at cold start: `load`
 * (typically `() => import('./wiring.ts').then(...)`) runs once, on the first call, and every call
 * goes to the handler it resolves to. A rejected load is not cached, so the next invocation retries
 * it instead of failing forever in a warm sandbox.
 *
 * Why: what `index.ts` imports at its top level is read, compiled and run during Lambda's init phase,
 * before any event; code behind `load` is read only when an event needs it (built as a separate chunk,
 * `infra/constructs/bundling.ts`). See docs/functions.md, "Bundles".
 *
 * @example
 * ```ts
 * const config = readFunctionConfig('api', process.env); // a bad setting still fails at cold start
 * export const handler = onFirstCall(() => import('./wiring.ts').then(({ wireApi }) => wireApi(config)));
 * ```
 */
export const onFirstCall = <E, C, R>(load: () => Promise<LambdaHandler<E, C, R>>): LambdaHandler<E, C, R> => {
  let loading: Promise<LambdaHandler<E, C, R>> | undefined;
  return async (event, context) => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return (await loading)(event, context);
  };
};
