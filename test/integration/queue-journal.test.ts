import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JournalMessage, openQueueJournal } from '../../infra/local/queue-journal.ts';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'yardstick-journal-')), 'queue');
const message = (n: number): JournalMessage => ({
  messageId: `m-${n}`,
  body: JSON.stringify({ id: `env-${n}`, detail: { n, text: 'line\nbreak "quoted"' } }),
  sentAt: 1_700_000_000_000 + n,
});

describe('the local queue journal', () => {
  it('recovers, in send order, every message appended and not marked done', async () => {
    // Prepare
    const directory = tempDir();
    const journal = await openQueueJournal({ directory });
    await journal.append([message(1), message(2)]);
    await journal.append([message(3)]);
    journal.markDone('m-2');
    await journal.close();

    // Act
    const reopened = await openQueueJournal({ directory });

    // Assess
    expect(reopened.recovered).toEqual([message(1), message(3)]);
    await reopened.close();
  });

  it('ignores a torn last line, which a crash mid-write can leave and which was never acknowledged', async () => {
    // Prepare
    const directory = tempDir();
    const journal = await openQueueJournal({ directory });
    await journal.append([message(1)]);
    const [segment] = journal.segments();
    appendFileSync(join(directory, segment ?? ''), '{"op":"send","id":"m-2","at":1,"bo');

    // Act
    const reopened = await openQueueJournal({ directory });

    // Assess
    expect(reopened.recovered.map((m) => m.messageId)).toEqual(['m-1']);
    await reopened.close();
  });

  it('resolves every concurrent append (one write for many) and appends after a done-mark flush', async () => {
    // Prepare: done-mark flushes run when the test says, to reach the state that once hung appends.
    const scheduled: Array<() => void> = [];
    const journal = await openQueueJournal({
      directory: tempDir(),
      scheduleDoneFlush: (run) => scheduled.push(run),
    });

    // Act
    await Promise.all(Array.from({ length: 200 }, (_, n) => journal.append([message(n)])));
    journal.markDone('m-0');
    await journal.append([message(1000)]); // writes the done mark along with the send
    await new Promise((resolve) => setImmediate(resolve)); // let that write finish completely
    for (const run of scheduled.splice(0)) run(); // the lazy flush now finds nothing to write
    const later = await journal.append([message(1001)]).then(() => 'written'); // hung before the fix

    // Assess
    expect(later).toBe('written');
    await journal.close();
  });

  it('deletes segments whose messages are all done, oldest first, and recovers nothing after', async () => {
    // Prepare
    const directory = tempDir();
    const journal = await openQueueJournal({ directory, segmentBytes: 1024 });
    const messages = Array.from({ length: 60 }, (_, n) => message(n));
    for (const m of messages) await journal.append([m]);
    const segmentsWhileFull = journal.segments().length;

    // Act
    for (const m of messages) journal.markDone(m.messageId);
    await journal.close();
    const reopened = await openQueueJournal({ directory });

    // Assess
    expect(segmentsWhileFull).toBeGreaterThan(3);
    expect(journal.segments().length).toBeLessThanOrEqual(2);
    expect(reopened.recovered).toEqual([]);
    await reopened.close();
  });
});
