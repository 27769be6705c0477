/**
 * Runs `work` over `items` with at most `limit` in flight, in order of start.
 *
 * @example
 * ```ts
 * await runPool(groups, 4, async (group) => commit(group));
 * ```
 */
export const runPool = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(workers);
};
