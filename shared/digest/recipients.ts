import type { Catalog } from '../catalog/schema.ts';

/**
 * Everyone the digest goes to: the catalog's digest recipients, then each workflow's, without
 * duplicates (addresses compare case-insensitively; the first spelling wins).
 *
 * @example
 * ```ts
 * digestRecipients(catalog); // ['leadership@example.com', 'finance-ops@example.com']
 * ```
 */
export const digestRecipients = (catalog: Catalog): string[] => {
  const seen = new Map<string, string>();
  const all = [...catalog.digest.recipients, ...catalog.workflows.flatMap((w) => w.digestRecipients)];
  for (const address of all) {
    const key = address.trim().toLowerCase();
    if (!seen.has(key)) seen.set(key, address.trim());
  }
  return [...seen.values()];
};

/** SES accepts at most 50 recipients per message. */
export const MAX_RECIPIENTS_PER_MESSAGE = 50;

/** Splits recipients into groups of at most `size`, in order. */
export const chunkRecipients = (
  recipients: readonly string[],
  size = MAX_RECIPIENTS_PER_MESSAGE,
): string[][] => {
  const chunks: string[][] = [];
  for (let index = 0; index < recipients.length; index += size)
    chunks.push(recipients.slice(index, index + size));
  return chunks;
};
