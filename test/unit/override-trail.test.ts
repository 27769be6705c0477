import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { BOUNDS } from '../../events/bounds.ts';
import {
  type CountedOverride,
  OVERRIDE_CHUNK_BYTES,
  overrideRecordsOfItem,
  overrideTrailItems,
  UnreadableOverrideTrailError,
} from '../../shared/store/dynamodb/override-trail.ts';
import { overridePosition } from '../../shared/store/override-record.ts';
import type { OverrideRecord } from '../../shared/store/port.ts';

const override = (
  eventId: string,
  occurredAt: string,
  extra: Partial<OverrideRecord> = {},
): CountedOverride => ({
  workflowId: 'wf',
  record: { eventId, occurredAt, decision: 'edited', source: 'review-ui', ...extra },
});

// The longest values the contract lets a producer send, with characters JSON must escape.
const longest = (eventId: string): CountedOverride =>
  override(eventId.padEnd(128, 'x'), '2026-11-23T10:59:59.123456789Z', {
    decision: 'escalated',
    source: 's'.repeat(256),
    runId: '"\u0001'.repeat(64),
    reviewerId: '\u00e9\u4e2d'.repeat(64),
    reasonCode: 'r'.repeat(64),
    reviewMs: BOUNDS.reviewMs.max,
  });

/** DynamoDB's item size: attribute names and string values in UTF-8, a number at most 21 bytes. */
const itemBytes = (item: ReturnType<typeof overrideTrailItems>[number]) =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + (value.S ? Buffer.byteLength(value.S) : 21),
    0,
  );

describe('override trail items', () => {
  it('reads back every field of every entry, the absent ones absent', () => {
    // Prepare
    const overrides = [
      override('o1', '2026-11-23T10:15:00.000Z', { runId: 'run-1', reviewerId: 'rev-9', reviewMs: 0 }),
      override('o2', '2026-11-23T10:16:00.000001Z', { reasonCode: 'tone', decision: 'rejected' }),
      override('o3', '2026-11-23T10:17:00.000Z'),
    ];

    // Act
    const items = overrideTrailItems(overrides);

    // Assess
    expect(items).toHaveLength(1);
    expect(items.flatMap(overrideRecordsOfItem)).toEqual(overrides.map((o) => o.record));
  });

  it('files each workflow and hour under its own items, keyed by their first override', () => {
    // Prepare
    const overrides = [
      override('b', '2026-11-23T11:00:00.000Z'),
      override('a', '2026-11-23T10:59:59.999Z'),
      { ...override('c', '2026-11-23T10:00:00.000Z'), workflowId: 'other' },
      override('d', '2026-11-23T11:30:00.000Z'),
    ];

    // Act
    const keys = overrideTrailItems(overrides).map((item) => `${item.pk?.S}/${item.sk?.S}`);

    // Assess
    expect(keys).toEqual([
      'OVR#wf/2026-11-23T11:00:00.000Z#b',
      'OVR#wf/2026-11-23T10:59:59.999Z#a',
      'OVR#other/2026-11-23T10:00:00.000Z#c',
    ]);
  });

  it('keys a chunk by its earliest override, as a per-event item of older tables was keyed', () => {
    // Prepare: one hour's overrides in stream order, not time order, and a bound of two entries a chunk.
    const overrides = [
      override('late', '2026-11-23T10:50:00.000Z'),
      override('early', '2026-11-23T10:05:00.000Z'),
      override('mid', '2026-11-23T10:20:00.000Z'),
    ];
    const entryBytes = (eventId: string, minutes: string) =>
      Buffer.byteLength(`["${eventId}",":${minutes}:00.000Z","edited","review-ui"],`);
    const twoEntries = entryBytes('early', '05') + entryBytes('mid', '20');

    // Act
    const items = overrideTrailItems(overrides, twoEntries);

    // Assess: chunks in time order, each keyed by the position of its first entry.
    expect(items.map((item) => item.sk?.S)).toEqual([
      '2026-11-23T10:05:00.000Z#early',
      '2026-11-23T10:50:00.000Z#late',
    ]);
    expect(items.flatMap(overrideRecordsOfItem).map((r) => r.eventId)).toEqual(['early', 'mid', 'late']);
  });

  it('splits a group of the longest entries into chunks no larger than the bound, far below 400 KB', () => {
    // Prepare
    const overrides = Array.from({ length: 200 }, (_, i) => longest(`e${String(i).padStart(3, '0')}`));

    // Act
    const items = overrideTrailItems(overrides);

    // Assess
    const largest = Math.max(...items.map(itemBytes));
    expect(items.length).toBeGreaterThan(3);
    expect(largest).toBeLessThanOrEqual(OVERRIDE_CHUNK_BYTES + 1024);
    expect(items.map((item) => item.sk?.S)).toEqual(
      items.map((item) => overridePosition(overrideRecordsOfItem(item)[0] as OverrideRecord)),
    );
    expect(items.flatMap(overrideRecordsOfItem)).toEqual(overrides.map((o) => o.record));
  });

  it('writes an eventId repeated within a batch once', () => {
    // Prepare
    const overrides = [override('a', '2026-11-23T10:00:00.000Z'), override('a', '2026-11-23T10:00:00.000Z')];

    // Act
    const records = overrideTrailItems(overrides).flatMap(overrideRecordsOfItem);

    // Assess
    expect(records.map((r) => r.eventId)).toEqual(['a']);
  });

  it('refuses a chunk of a later format or with damaged entries, naming the item', () => {
    // Prepare
    const [item] = overrideTrailItems([override('a', '2026-11-23T10:00:00.000Z')]);
    const later = { ...item, format: { N: '2' } };
    const damaged = { ...item, entries: { S: '[["a", 1]]' } };

    // Act
    const read = (bad: Record<string, AttributeValue>) => () => overrideRecordsOfItem(bad);

    // Assess
    expect(read(later)).toThrow(UnreadableOverrideTrailError);
    expect(read(later)).toThrow('OVR#wf/2026-11-23T10:00:00.000Z#a: format 2');
    expect(read(damaged)).toThrow(UnreadableOverrideTrailError);
  });

  it('reads a per-event item of the layout before chunks', () => {
    // Prepare: as tables deployed before chunks hold them.
    const item = {
      pk: { S: 'OVR#wf' },
      sk: { S: '2026-11-23T10:15:00.000Z#o1' },
      eventId: { S: 'o1' },
      occurredAt: { S: '2026-11-23T10:15:00.000Z' },
      decision: { S: 'accepted' },
      source: { S: 'review-ui' },
      reviewMs: { N: '1200' },
    };

    // Act
    const records = overrideRecordsOfItem(item);

    // Assess
    expect(records).toEqual([
      {
        eventId: 'o1',
        occurredAt: '2026-11-23T10:15:00.000Z',
        decision: 'accepted',
        source: 'review-ui',
        reviewMs: 1200,
      },
    ]);
  });
});
