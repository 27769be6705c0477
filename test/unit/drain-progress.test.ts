import { describe, expect, it } from 'vitest';
import { drainWithProgress } from '../../infra/local/drain-progress.ts';
import { LocalQueue } from '../../infra/local/local-queue.ts';

describe('drain progress in the terminal', () => {
  it('shows how many queued messages are done out of the total and at what rate until the queue is empty', async () => {
    // Prepare: a real in-memory queue whose consumer takes the messages in batches of 10
    const queue = new LocalQueue({ batchSize: 10, batchWindowMs: 5, consumer: async () => undefined });
    await queue.sendAll(Array.from({ length: 1_200 }, (_, i) => `{"n":${i}}`));
    const lines: string[] = [];

    // Act
    const outcome = await drainWithProgress(queue, 'Counting', {
      tty: false,
      write: (text) => lines.push(text.trim()),
    });

    // Assess
    expect(outcome).toBe('drained');
    expect(queue.pending).toBe(0);
    // The consumer may finish a first batch before the display starts: the total is what was left.
    const [, done, total] = /^Counting: ([\d,]+)\/([\d,]+) done, [\d,]+\/s$/.exec(lines.at(-1) ?? '') ?? [];
    expect(done).toBeDefined();
    expect(done).toBe(total);
    expect(Number(total?.replace(/,/g, ''))).toBeGreaterThan(1_000);
    expect(lines.every((line) => line.includes(`/${total} done`))).toBe(true);
  });
});
