import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices } from '../../shared/metrics/counters.ts';
import { counterItemsOf, sketchItemsOf } from '../../shared/store/dynamodb/counter-items.ts';
import { FLEET_SHARDS, fleetItemKind, fleetShardOf, Keys } from '../../shared/store/dynamodb/keys.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';

const outcome = (workflowId: string, occurredAt: string, variant?: string): AcceptedEvent => {
  const event = {
    kind: 'ai.workflow.outcome',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId: 'e1',
      workflowId,
      occurredAt,
      status: 'succeeded',
      ...(variant ? { variant } : {}),
    },
  } as WorkflowEvent;
  return { ref: 'r', event, fingerprint: eventFingerprint(event), delta: deltaFromEvent(event, noPrices) };
};

describe('the fleet rollup’s keys', () => {
  it('puts an event in its ISO week’s fleet partition beside its hour and day, and its variant’s week too', () => {
    // Act
    const sunday = counterItemsOf(outcome('invoice-triage', '2026-11-29T23:59:59Z', 'ai'));
    const monday = counterItemsOf(outcome('invoice-triage', '2026-11-30T00:00:00Z'));

    // Assess
    const shard = fleetShardOf('invoice-triage');
    expect(sunday.map((item) => `${item.pk} ${item.sk}`)).toEqual([
      'WF#invoice-triage H#2026-11-29T23',
      'WF#invoice-triage V#ai#H#2026-11-29T23',
      'WF#invoice-triage D#2026-11-29',
      'WF#invoice-triage V#ai#D#2026-11-29',
      `FLEET#2026-W48#${shard} invoice-triage`,
      `FLEET#2026-W48#${shard} invoice-triage#V#ai`,
    ]);
    expect(monday.at(-1)).toMatchObject({ pk: `FLEET#2026-W49#${shard}`, sk: 'invoice-triage' });
    expect(new Set([...sunday, ...monday].map((item) => item.id)).size).toBe(sunday.length + monday.length);
  });

  it('merges users into the day’s and the week’s sketch items, and into the hour’s counter item', () => {
    // Act
    const event = outcome('invoice-triage', '2026-11-29T10:00:00Z');
    const items = sketchItemsOf(event);
    const carriers = counterItemsOf(event).filter((item) => item.carriesUsers);

    // Assess
    expect(items.map((item) => item.sk)).toEqual(['UD#2026-11-29', 'invoice-triage#U']);
    expect(items[1]?.pk).toBe(Keys.fleetWeek('2026-W48', fleetShardOf('invoice-triage')));
    expect(carriers.map((item) => `${item.pk} ${item.sk}`)).toEqual(['WF#invoice-triage H#2026-11-29T10']);
  });

  it('reads each sort key back, and keeps a workflow’s items apart from ids that extend it', () => {
    // Prepare
    const keys = [
      Keys.fleetTotals('a'),
      Keys.fleetUsers('a'),
      Keys.fleetVariant('a', 'v-2'),
      'a-b',
      'a.b',
      'a0',
    ];

    // Act
    const kinds = keys.slice(0, 3).map(fleetItemKind);

    // Assess
    expect(kinds).toEqual([
      { kind: 'totals', workflowId: 'a' },
      { kind: 'users', workflowId: 'a' },
      { kind: 'variant', workflowId: 'a', variant: 'v-2' },
    ]);
    expect([...keys].sort()).toEqual(keys);
  });

  it('spreads workflows over every fleet shard', () => {
    // Act
    const shards = new Set(Array.from({ length: 200 }, (_, i) => fleetShardOf(`wf-${i}`)));

    // Assess
    expect([...shards].sort()).toEqual(Array.from({ length: FLEET_SHARDS }, (_, i) => i));
  });
});
