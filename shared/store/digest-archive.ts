/** One week's digest as it was built and sent, kept so that `GET /digest?week=` shows what was sent. */
export interface StoredDigest {
  /** ISO week, e.g. `2026-W47`. */
  readonly week: string;
  /** When it was built (ISO timestamp). */
  readonly generatedAt: string;
  /** The digest model as JSON text (the `json` rendering). */
  readonly json: string;
  readonly html: string;
  readonly text: string;
  /** Who it was sent to, if it was sent. */
  readonly sentTo?: readonly string[];
}

/**
 * Storage port for built digests. The DynamoDB adapter keeps them in the metrics table; tests and
 * local tools may use {@link InMemoryDigestArchive}.
 *
 * @example
 * ```ts
 * await archive.put(stored);
 * const copy = await archive.get('2026-W47');
 * ```
 */
export interface DigestArchive {
  put(digest: StoredDigest): Promise<void>;
  get(week: string): Promise<StoredDigest | undefined>;
}

/** A process-local archive, for tests and one-shot tools. */
export class InMemoryDigestArchive implements DigestArchive {
  readonly #items = new Map<string, StoredDigest>();

  async put(digest: StoredDigest): Promise<void> {
    this.#items.set(digest.week, digest);
  }

  async get(week: string): Promise<StoredDigest | undefined> {
    return this.#items.get(week);
  }
}
