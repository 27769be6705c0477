import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One dead-lettered message as written to the file: the body is the EventBridge event, unchanged. */
export interface DeadLetterRecord {
  readonly messageId: string;
  readonly deadLetteredAt: string;
  readonly receiveCount: number;
  readonly body: string;
}

export interface DeadLetterFile {
  readonly path: string;
  /** Appends the record; synchronous so that it is on disk before the message is marked done. */
  append(record: DeadLetterRecord): void;
  /** Records in the file, oldest first. */
  read(): DeadLetterRecord[];
}

/**
 * Local mode's dead-letter queue: a JSON-lines file under the data folder, kept across restarts so
 * that nothing that failed every delivery attempt disappears when local mode stops.
 *
 * @example
 * ```ts
 * const dlq = deadLetterFile('.yardstick/dead-letters.jsonl');
 * console.log(`${dlq.read().length} dead-lettered messages in ${dlq.path}`);
 * ```
 */
export const deadLetterFile = (path: string): DeadLetterFile => ({
  path,
  append: (record) => {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${JSON.stringify(record)}\n`);
  },
  read: () =>
    existsSync(path)
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .flatMap((line) => {
            try {
              return [JSON.parse(line) as DeadLetterRecord];
            } catch {
              return []; // a torn last line after a crash
            }
          })
      : [],
});
