/** What the progress display needs from the queue. */
export interface DrainableQueue {
  readonly pending: number;
  drain(): Promise<void>;
}

export interface ProgressOutput {
  readonly tty: boolean;
  write(text: string): void;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * Waits for the queue to drain while printing how many of the messages held at the start are done
 * and how fast (one rewritten line on a terminal, a line per step otherwise). Resolves `interrupted` as soon as
 * `interrupt` settles first: what is left stays in the journal for the next start.
 *
 * @example
 * ```ts
 * await drainWithProgress(local.queue, 'Counting 1,200 recovered events', { tty: true, write: (t) => process.stdout.write(t) });
 * ```
 */
export const drainWithProgress = async (
  queue: DrainableQueue,
  label: string,
  output: ProgressOutput,
  interrupt: Promise<unknown> = new Promise(() => {}),
): Promise<'drained' | 'interrupted'> => {
  const total = queue.pending;
  const startedMs = Date.now();
  let lastShown = -1;
  const show = () => {
    const done = Math.max(0, total - queue.pending);
    if (done === lastShown) return;
    lastShown = done;
    // The rate tells a waiting user whether the wait is seconds or minutes.
    const seconds = (Date.now() - startedMs) / 1000;
    const rate = done > 0 && seconds > 0 ? `, ${Math.round(done / seconds).toLocaleString('en-US')}/s` : '';
    const text = `${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} done${rate}`;
    output.write(output.tty ? `\r${text}` : `${text}\n`);
  };
  show();
  const timer = setInterval(show, PROGRESS_INTERVAL_MS);
  const outcome = await Promise.race([
    queue.drain().then(() => 'drained' as const),
    interrupt.then(() => 'interrupted' as const),
  ]);
  clearInterval(timer);
  show();
  if (output.tty) output.write('\n');
  return outcome;
};
