import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices } from '../../shared/metrics/counters.ts';
import {
  buildTransaction,
  MAX_TRANSACTION_ACTIONS,
  planTransactionGroups,
} from '../../shared/store/dynamodb/transaction-plan.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';

const TABLE = 'yardstick-test';
const EXPIRES_AT = 1_800_000_000;

const accept = (event: WorkflowEvent): AcceptedEvent => ({
  ref: `${event.detail.workflowId}/${event.detail.eventId}`,
  event,
  fingerprint: eventFingerprint(event),
  delta: deltaFromEvent(event, noPrices),
});

const outcome = (eventId: string, occurredAt: string, workflowId = 'wf-a'): AcceptedEvent =>
  accept({
    kind: 'ai.workflow.outcome',
    source: 'test',
    detail: { schemaVersion: 1, eventId, workflowId, occurredAt, status: 'succeeded', valueUsd: 1 },
  });

const override = (eventId: string, occurredAt: string, workflowId = 'wf-a'): AcceptedEvent =>
  accept({
    kind: 'ai.workflow.override',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId,
      occurredAt,
      decision: 'rejected',
      reasonCode: 'hallucination',
      reviewerId: 'rev-7',
      reviewMs: 1200,
    },
  });

const usage = (eventId: string, occurredAt: string, workflowId = 'wf-a'): AcceptedEvent =>
  accept({
    kind: 'ai.workflow.usage',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId,
      occurredAt,
      model: 'gpt-4o-mini',
      inputTokens: 10,
      outputTokens: 5,
      latencyMs: 300,
      costUsd: 0.001,
    },
  });

const hourIso = (hour: number, minute = 0): string =>
  new Date(Date.parse('2026-11-20T00:00:00Z') + hour * 3_600_000 + minute * 60_000).toISOString();

/** Actions a group needs, counted from first principles: markers + audit items + distinct counter items. */
const actionsNeeded = (group: readonly AcceptedEvent[]): number => {
  const counterItems = new Set<string>();
  let audits = 0;
  for (const { event } of group) {
    if (event.kind === 'ai.workflow.override') audits++;
    const iso = event.detail.occurredAt;
    counterItems.add(`${event.detail.workflowId} hour ${iso.slice(0, 13)}`);
    counterItems.add(`${event.detail.workflowId} day ${iso.slice(0, 10)}`);
  }
  return group.length + audits + counterItems.size;
};

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const mixedBatch = (seed: number, size: number, workflows: number, hours: number): AcceptedEvent[] => {
  const rand = random(seed);
  return Array.from({ length: size }, (_, i) => {
    const workflowId = `wf-${Math.floor(rand() * workflows)}`;
    const at = hourIso(Math.floor(rand() * hours), Math.floor(rand() * 60));
    const pick = rand();
    const eventId = `e-${seed}-${i}`;
    if (pick < 0.3) return override(eventId, at, workflowId);
    if (pick < 0.6) return usage(eventId, at, workflowId);
    return outcome(eventId, at, workflowId);
  });
};

const putOf = (item: TransactWriteItem | undefined) => item?.Put;

/** The value an Update adds to a named counter attribute, read from its expression maps. */
const addedValue = (item: TransactWriteItem | undefined, attribute: string): string | undefined => {
  const update = item?.Update;
  if (!update) return undefined;
  const entry = Object.entries(update.ExpressionAttributeNames ?? {}).find(([, name]) => name === attribute);
  if (!entry) return undefined;
  return update.ExpressionAttributeValues?.[entry[0].replace('#', ':')]?.N;
};

describe('planTransactionGroups', () => {
  it('uses DynamoDB’s limit of 100 actions per transaction', () => {
    // Assess
    expect(MAX_TRANSACTION_ACTIONS).toBe(100);
  });

  it.each([
    { name: 'one workflow, one hour', seed: 1, size: 500, workflows: 1, hours: 1 },
    { name: 'many workflows, one hour', seed: 2, size: 500, workflows: 40, hours: 1 },
    { name: 'one workflow, many hours over days', seed: 3, size: 500, workflows: 1, hours: 96 },
    { name: 'many workflows over many hours', seed: 4, size: 1000, workflows: 25, hours: 72 },
    { name: 'every event its own workflow and hour', seed: 5, size: 300, workflows: 10_000, hours: 10_000 },
  ])('keeps every group within 100 actions for $name', ({ seed, size, workflows, hours }) => {
    // Prepare
    const events = mixedBatch(seed, size, workflows, hours);

    // Act
    const groups = planTransactionGroups(events);

    // Assess
    const sizes = groups.map(actionsNeeded);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_TRANSACTION_ACTIONS);
    for (const group of groups) {
      expect(buildTransaction(TABLE, group, EXPIRES_AT).items.length).toBe(actionsNeeded(group));
    }
  });

  it.each([
    { seed: 11, size: 257, workflows: 3, hours: 5 },
    { seed: 12, size: 1000, workflows: 50, hours: 200 },
  ])(
    'places every event in exactly one group and keeps their order (seed $seed)',
    ({ seed, size, workflows, hours }) => {
      // Prepare
      const events = mixedBatch(seed, size, workflows, hours);

      // Act
      const groups = planTransactionGroups(events);

      // Assess
      const flattened = groups.flat();
      expect(flattened).toHaveLength(events.length);
      expect(flattened.every((accepted, i) => accepted === events[i])).toBe(true);
      expect(groups.every((group) => group.length > 0)).toBe(true);
    },
  );

  it('pre-aggregates counters: 100 events of one workflow in one hour need 100 markers + 2 updates, so 2 groups', () => {
    // Prepare
    const events = Array.from({ length: 100 }, (_, i) => outcome(`e${i}`, hourIso(10, i % 60)));

    // Act
    const groups = planTransactionGroups(events);

    // Assess: 98 markers + 2 counter updates fill the first transaction; the rest go in the second.
    expect(groups.map((g) => g.length)).toEqual([98, 2]);
    expect(groups.map((g) => buildTransaction(TABLE, g, EXPIRES_AT).items.length)).toEqual([100, 4]);
  });

  it('fits 98 events of one workflow and hour into a single transaction', () => {
    // Prepare
    const events = Array.from({ length: 98 }, (_, i) => usage(`u${i}`, hourIso(3, i % 60)));

    // Act
    const groups = planTransactionGroups(events);

    // Assess
    expect(groups).toHaveLength(1);
    expect(buildTransaction(TABLE, groups[0] ?? [], EXPIRES_AT).items).toHaveLength(100);
  });

  it('counts the audit item each override adds', () => {
    // Prepare: each override needs a marker and an audit item; the hour and day counters are shared.
    const events = Array.from({ length: 100 }, (_, i) => override(`o${i}`, hourIso(10, i % 60)));

    // Act
    const groups = planTransactionGroups(events);

    // Assess: (100 − 2) / 2 = 49 overrides per transaction.
    expect(groups.map((g) => g.length)).toEqual([49, 49, 2]);
    expect(groups.map((g) => buildTransaction(TABLE, g, EXPIRES_AT).items.length)).toEqual([100, 100, 6]);
  });

  it('counts a new day counter when a batch crosses midnight', () => {
    // Prepare: 24 hours of one workflow on day 1 and day 2 → 48 hour items + 2 day items.
    const events = Array.from({ length: 48 }, (_, i) => outcome(`d${i}`, hourIso(i)));

    // Act
    const groups = planTransactionGroups(events);

    // Assess: each event brings its own hour item; 48 markers + 48 hours + 2 days = 98 actions.
    expect(groups).toHaveLength(1);
    expect(actionsNeeded(groups[0] ?? [])).toBe(98);
  });

  it('honours a smaller action limit', () => {
    // Prepare
    const events = mixedBatch(21, 200, 4, 6);

    // Act
    const groups = planTransactionGroups(events, 10);

    // Assess
    expect(groups.flat()).toHaveLength(200);
    expect(Math.max(...groups.map(actionsNeeded))).toBeLessThanOrEqual(10);
  });

  it.each([
    { seed: 31, size: 400, workflows: 7, hours: 3 },
    { seed: 32, size: 1000, workflows: 300, hours: 24 },
  ])('never lets one transaction span two workflows (seed $seed)', ({ seed, size, workflows, hours }) => {
    // Prepare
    const events = mixedBatch(seed, size, workflows, hours);

    // Act
    const groups = planTransactionGroups(events);

    // Assess
    for (const group of groups) {
      expect(new Set(group.map((accepted) => accepted.event.detail.workflowId)).size).toBe(1);
    }
  });

  it('returns no groups for no events', () => {
    // Act
    const groups = planTransactionGroups([]);

    // Assess
    expect(groups).toEqual([]);
  });
});

describe('buildTransaction', () => {
  const group = [
    outcome('e1', '2026-11-20T10:05:00Z'),
    override('o1', '2026-11-20T10:06:00Z'),
    usage('u1', '2026-11-20T11:30:00Z'),
    outcome('e2', '2026-11-20T10:07:00Z', 'wf-b'),
    outcome('e3', '2026-11-20T10:08:00Z'),
  ];

  it('writes one conditional dedupe marker per event that returns the old item on conflict', () => {
    // Act
    const { items } = buildTransaction(TABLE, group, EXPIRES_AT);

    // Assess
    const markers = items.filter((item) => putOf(item)?.Item?.pk?.S?.startsWith('EVT#'));
    expect(markers).toHaveLength(group.length);
    for (const marker of markers) {
      expect(marker.Put).toMatchObject({
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        Item: { expiresAt: { N: String(EXPIRES_AT) } },
      });
    }
    expect(markers.map((m) => m.Put?.Item?.fingerprint?.S)).toEqual(group.map((g) => g.fingerprint));
  });

  it('aligns markerOf with the action indexes: the event at a marker’s index, undefined elsewhere', () => {
    // Act
    const { items, markerOf } = buildTransaction(TABLE, group, EXPIRES_AT);

    // Assess
    expect(markerOf).toHaveLength(items.length);
    items.forEach((item, i) => {
      const accepted = markerOf[i];
      const put = putOf(item);
      if (accepted) {
        const { workflowId, eventId } = accepted.event.detail;
        expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
        expect(put?.Item?.pk?.S).toContain(workflowId);
        expect(put?.Item?.pk?.S).toContain(eventId);
        expect(put?.Item?.fingerprint?.S).toBe(accepted.fingerprint);
      } else {
        expect(put?.ConditionExpression).toBeUndefined();
      }
    });
    expect(markerOf.filter((m) => m !== undefined)).toEqual(group);
  });

  it('keys each marker by workflow and eventId, so the same eventId in two workflows is two events', () => {
    // Prepare
    const twins = [
      outcome('same', '2026-11-20T10:00:00Z', 'wf-a'),
      outcome('same', '2026-11-20T10:00:00Z', 'wf-b'),
    ];

    // Act
    const { items, markerOf } = buildTransaction(TABLE, twins, EXPIRES_AT);

    // Assess
    const keys = items
      .filter((_, i) => markerOf[i])
      .map((item) => `${putOf(item)?.Item?.pk?.S}|${putOf(item)?.Item?.sk?.S}`);
    expect(new Set(keys).size).toBe(2);
  });

  it('writes an unconditional audit item for each override with the human decision', () => {
    // Act
    const { items } = buildTransaction(TABLE, group, EXPIRES_AT);

    // Assess
    const audits = items.filter((item) => putOf(item)?.Item?.decision !== undefined);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.Put?.ConditionExpression).toBeUndefined();
    expect(audits[0]?.Put?.Item).toMatchObject({
      eventId: { S: 'o1' },
      occurredAt: { S: '2026-11-20T10:06:00Z' },
      decision: { S: 'rejected' },
      reasonCode: { S: 'hallucination' },
      reviewerId: { S: 'rev-7' },
      reviewMs: { N: '1200' },
    });
  });

  it('pre-aggregates counters into one update per (workflow, hour) and (workflow, day)', () => {
    // Act
    const { items } = buildTransaction(TABLE, group, EXPIRES_AT);

    // Assess: wf-a has hours 10 and 11 and one day; wf-b has hour 10 and one day.
    const updates = items.filter((item) => item.Update);
    const keys = updates.map((u) => `${u.Update?.Key?.pk?.S} ${u.Update?.Key?.sk?.S}`);
    expect(keys.sort()).toEqual(
      [
        'WF#wf-a H#2026-11-20T10',
        'WF#wf-a H#2026-11-20T11',
        'WF#wf-a D#2026-11-20',
        'WF#wf-b H#2026-11-20T10',
        'WF#wf-b D#2026-11-20',
      ].sort(),
    );
    const byKey = new Map(updates.map((u) => [`${u.Update?.Key?.pk?.S} ${u.Update?.Key?.sk?.S}`, u]));
    expect(addedValue(byKey.get('WF#wf-a H#2026-11-20T10'), 'succeeded')).toBe('2');
    expect(addedValue(byKey.get('WF#wf-a H#2026-11-20T10'), 'rejected')).toBe('1');
    expect(addedValue(byKey.get('WF#wf-a H#2026-11-20T11'), 'usageEvents')).toBe('1');
    expect(addedValue(byKey.get('WF#wf-a D#2026-11-20'), 'succeeded')).toBe('2');
    expect(addedValue(byKey.get('WF#wf-a D#2026-11-20'), 'usageEvents')).toBe('1');
    expect(addedValue(byKey.get('WF#wf-a D#2026-11-20'), 'valueReportedNanos')).toBe('2000000000');
    expect(addedValue(byKey.get('WF#wf-b D#2026-11-20'), 'succeeded')).toBe('1');
  });

  it('sums 100 events of one hour into a single counter update per bucket', () => {
    // Prepare
    const events = Array.from({ length: 98 }, (_, i) => outcome(`e${i}`, hourIso(10, i % 60)));

    // Act
    const { items } = buildTransaction(TABLE, events, EXPIRES_AT);

    // Assess
    const updates = items.filter((item) => item.Update);
    expect(updates).toHaveLength(2);
    expect(updates.map((u) => addedValue(u, 'succeeded'))).toEqual(['98', '98']);
    expect(updates.map((u) => addedValue(u, 'valueReportedNanos'))).toEqual(['98000000000', '98000000000']);
  });

  it('never names the same item twice in one transaction', () => {
    // Prepare
    const events = mixedBatch(31, 400, 6, 30);

    // Act
    const transactions = planTransactionGroups(events).map((g) => buildTransaction(TABLE, g, EXPIRES_AT));

    // Assess
    for (const { items } of transactions) {
      const keys = items.map((item) => {
        const key = item.Put?.Item ?? item.Update?.Key;
        return `${key?.pk?.S}|${key?.sk?.S}`;
      });
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
