import { createHash } from 'node:crypto';
import type { WorkflowEvent } from '../../events/schemas.ts';

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * A hash of what an event says (its kind and validated detail, key order ignored), used to tell a
 * harmless re-send of an eventId from a conflicting one that reuses the id for different content.
 */
export const eventFingerprint = (event: WorkflowEvent): string =>
  createHash('sha256')
    .update(event.kind)
    .update('\n')
    .update(canonical(event.detail))
    .digest('base64url')
    .slice(0, 22);
