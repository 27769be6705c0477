import { createHash } from 'node:crypto';
import { canonicalInstant } from '../../events/instant.ts';
import type { WorkflowEvent } from '../../events/schemas.ts';

// Canonical values, so that equal content spelled differently hashes alike: key order and absent
// optional fields are ignored; numbers are JSON.parse's doubles (`1`, `1.0` and `1e0` are one value)
// written back by JSON.stringify in their shortest form; instants in their canonical spelling (the
// schema already parses them so; repeated here for events built without it).

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

const canonicalDetail = (detail: WorkflowEvent['detail']): string =>
  canonical({ ...detail, occurredAt: canonicalInstant(detail.occurredAt) });

/**
 * A hash of what an event says (its kind and validated detail in canonical form), used to tell a
 * harmless re-send of an eventId from a conflicting one that reuses the id for different content.
 *
 * @example
 * ```ts
 * eventFingerprint(event) === eventFingerprint(resentWithOtherSpelling); // true
 * ```
 */
export const eventFingerprint = (event: WorkflowEvent): string =>
  createHash('sha256')
    .update(event.kind)
    .update('\n')
    .update(canonicalDetail(event.detail))
    .digest('base64url')
    .slice(0, 22);
