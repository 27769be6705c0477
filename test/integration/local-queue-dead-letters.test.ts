import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deadLetterFile } from '../../infra/local/dead-letter-file.ts';
import { LocalQueue } from '../../infra/local/local-queue.ts';
import { openQueueJournal } from '../../infra/local/queue-journal.ts';

describe('the local queue with a data folder', () => {
  it('keeps a message that fails every delivery in dead-letters.jsonl and finishes it in the journal', async () => {
    // Prepare: a consumer that reports the poison message as failed, as the aggregate handler does.
    const dataDir = mkdtempSync(join(tmpdir(), 'yardstick-dlq-'));
    const journal = await openQueueJournal({ directory: join(dataDir, 'queue') });
    const deadLetters = deadLetterFile(join(dataDir, 'dead-letters.jsonl'));
    const handled: string[] = [];
    const queue = new LocalQueue({
      journal,
      deadLetterFile: deadLetters,
      batchWindowMs: 1,
      visibilityTimeoutMs: 0,
      maxReceiveCount: 3,
      consumer: async (event: SQSEvent) => {
        const poison = event.Records.filter((record) => record.body.includes('poison'));
        handled.push(...event.Records.filter((record) => !poison.includes(record)).map((r) => r.body));
        return { batchItemFailures: poison.map((record) => ({ itemIdentifier: record.messageId })) };
      },
    });

    // Act
    await queue.sendAll(['{"n":1}', '{"poison":true}', '{"n":2}']);
    await queue.drain();
    await queue.close();
    const reopened = await openQueueJournal({ directory: join(dataDir, 'queue') });

    // Assess
    expect(handled.sort()).toEqual(['{"n":1}', '{"n":2}']);
    expect(deadLetters.read()).toEqual([
      expect.objectContaining({ body: '{"poison":true}', receiveCount: 3 }),
    ]);
    expect(reopened.recovered).toEqual([]);
    await reopened.close();
  });

  it('recovers acknowledged messages that were never consumed, and counts them as recovered', async () => {
    // Prepare: a queue closed before it could deliver (a stop), then a fresh one on the same folder.
    const directory = join(mkdtempSync(join(tmpdir(), 'yardstick-recover-')), 'queue');
    const first = new LocalQueue({
      journal: await openQueueJournal({ directory }),
      batchWindowMs: 60_000,
      consumer: async () => undefined,
    });
    await first.sendAll(['{"n":1}', '{"n":2}']);
    await first.close();
    const delivered: string[] = [];

    // Act
    const second = new LocalQueue({
      journal: await openQueueJournal({ directory }),
      batchWindowMs: 1,
      consumer: async (event: SQSEvent) => {
        delivered.push(...event.Records.map((record) => record.body));
        return undefined;
      },
    });
    await second.drain();
    await second.close();

    // Assess
    expect(second.stats.recovered).toBe(2);
    expect(delivered).toEqual(['{"n":1}', '{"n":2}']);
  });
});
