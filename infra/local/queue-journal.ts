import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';

/** A queued message as the journal keeps it. */
export interface JournalMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
}

export interface QueueJournalOptions {
  readonly directory: string;
  /**
   * fdatasync before `append` resolves, so an acknowledged event also survives an OS crash or power
   * loss, not only a process kill. Group commit makes it cheap (see BENCHMARKS.md). @default true
   */
  readonly fsync?: boolean;
  /** A segment is sealed past this size; sealed segments are deleted once all their messages are done. */
  readonly segmentBytes?: number;
  /**
   * Schedules the lazy write of done marks. @default after 50 ms, without keeping the process alive
   */
  readonly scheduleDoneFlush?: (flush: () => void) => void;
}

export interface QueueJournal {
  readonly directory: string;
  /** Messages sent and not yet done when the journal was opened, in send order. */
  readonly recovered: readonly JournalMessage[];
  /** Resolves once the messages are written (and synced, with `fsync`); only then may they be acknowledged. */
  append(messages: readonly JournalMessage[]): Promise<void>;
  /** The message needs no further delivery (counted, quarantined or dead-lettered). Written lazily: losing it only means a redelivery, which aggregation drops as a duplicate. */
  markDone(messageId: string): void;
  /** Segment files on disk, for tests of compaction. */
  segments(): string[];
  close(): Promise<void>;
}

type Line = { op: 'send'; id: string; at: number; body: string } | { op: 'done'; id: string };

const SEGMENT = /^segment-(\d{10})\.jsonl$/;
const segmentName = (seq: number) => `segment-${String(seq).padStart(10, '0')}.jsonl`;

const readSegments = (directory: string) => {
  const seqs = readdirSync(directory)
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((seq): seq is string => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const pending = new Map<string, JournalMessage & { seq: number }>();
  for (const seq of seqs) {
    for (const text of readFileSync(join(directory, segmentName(seq)), 'utf8').split('\n')) {
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue; // a torn last line from a crash mid-write: never acknowledged, so safely ignored
      }
      if (line.op === 'send')
        pending.set(line.id, { messageId: line.id, body: line.body, sentAt: line.at, seq });
      else pending.delete(line.id);
    }
  }
  return { seqs, pending };
};

/**
 * The local queue's write-ahead journal: append-only segment files of `send` and `done` records
 * under the data folder. Sends are written (and synced) before PutEvents answers, many requests per
 * write (group commit); on the next start every message sent and not done is recovered. Segments
 * are deleted oldest first once every message in them is done, so the folder stays small.
 *
 * @example
 * ```ts
 * const journal = await openQueueJournal({ directory: '.yardstick/queue' });
 * await journal.append([{ messageId, body, sentAt: Date.now() }]); // now safe to acknowledge
 * journal.markDone(messageId);
 * ```
 */
export const openQueueJournal = async (options: QueueJournalOptions): Promise<QueueJournal> => {
  const { directory } = options;
  const fsync = options.fsync ?? true;
  const segmentBytes = options.segmentBytes ?? 4 * 1024 * 1024;
  const scheduleDoneFlush =
    options.scheduleDoneFlush ?? ((run: () => void) => void setTimeout(run, 50).unref());
  mkdirSync(directory, { recursive: true });
  const { seqs, pending } = readSegments(directory);
  const pendingPerSegment = new Map<number, number>(seqs.map((seq) => [seq, 0]));
  const segmentOf = new Map<string, number>();
  for (const message of pending.values()) {
    pendingPerSegment.set(message.seq, (pendingPerSegment.get(message.seq) ?? 0) + 1);
    segmentOf.set(message.messageId, message.seq);
  }

  let currentSeq = (seqs.at(-1) ?? 0) + 1;
  let current: FileHandle = await open(join(directory, segmentName(currentSeq)), 'a');
  let currentBytes = 0;
  pendingPerSegment.set(currentSeq, 0);
  let buffer: string[] = [];
  let waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let flushing: Promise<void> | undefined;
  let doneFlushScheduled = false;

  const syncDirectory = async () => {
    // A new file's name must be durable too; not every platform can sync a directory.
    const dir = await open(directory, 'r').catch(() => undefined);
    await dir?.sync().catch(() => undefined);
    await dir?.close();
  };
  await syncDirectory();

  /** Deletes fully done segments from the oldest on, never the one being written. */
  const compact = () => {
    for (const [seq, count] of [...pendingPerSegment].sort(([a], [b]) => a - b)) {
      if (seq === currentSeq || count > 0) return;
      rmSync(join(directory, segmentName(seq)), { force: true });
      pendingPerSegment.delete(seq);
    }
  };

  const rotate = async () => {
    await current.close();
    currentSeq++;
    current = await open(join(directory, segmentName(currentSeq)), 'a');
    currentBytes = 0;
    pendingPerSegment.set(currentSeq, 0);
    await syncDirectory();
  };

  const flushOnce = async () => {
    const text = buffer.join('');
    const settled = waiters;
    buffer = [];
    waiters = [];
    try {
      await current.write(text);
      currentBytes += Buffer.byteLength(text);
      if (fsync && settled.length > 0) await current.datasync();
      for (const waiter of settled) waiter.resolve();
    } catch (error) {
      for (const waiter of settled) waiter.reject(error);
    }
    compact();
    if (currentBytes >= segmentBytes) await rotate();
  };

  const flush = (): Promise<void> => {
    if (flushing) return flushing;
    const run = async () => {
      await null; // always asynchronous, so `flushing` is assigned before this can clear it
      try {
        while (buffer.length > 0) await flushOnce();
      } finally {
        flushing = undefined;
      }
    };
    flushing = run();
    return flushing;
  };

  return {
    directory,
    recovered: [...pending.values()].map(({ messageId, body, sentAt }) => ({ messageId, body, sentAt })),
    append: (messages) => {
      if (messages.length === 0) return Promise.resolve();
      for (const message of messages) {
        const line: Line = { op: 'send', id: message.messageId, at: message.sentAt, body: message.body };
        buffer.push(`${JSON.stringify(line)}\n`);
        segmentOf.set(message.messageId, currentSeq);
        pendingPerSegment.set(currentSeq, (pendingPerSegment.get(currentSeq) ?? 0) + 1);
      }
      const written = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      void flush();
      return written;
    },
    markDone: (messageId) => {
      const seq = segmentOf.get(messageId);
      if (seq === undefined) return;
      segmentOf.delete(messageId);
      pendingPerSegment.set(seq, (pendingPerSegment.get(seq) ?? 1) - 1);
      buffer.push(`${JSON.stringify({ op: 'done', id: messageId } satisfies Line)}\n`);
      if (!doneFlushScheduled) {
        doneFlushScheduled = true;
        scheduleDoneFlush(() => {
          doneFlushScheduled = false;
          void flush();
        });
      }
    },
    segments: () => readdirSync(directory).filter((name) => SEGMENT.test(name)),
    close: async () => {
      await flush();
      compact();
      await current.close();
    },
  };
};
