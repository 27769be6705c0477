import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { deltaFromEvent, noPrices, type Pricer } from '../../shared/metrics/counters.ts';
import { ReplayRefusedError } from '../../shared/replay/replay-errors.ts';
import { DeltaSource, planReplay, type RecordedEvent } from '../../shared/replay/replay-plan.ts';
import { coveredFromMs, replayFromMs } from '../../shared/replay/replay-window.ts';
import { counterItemsOf } from '../../shared/store/dynamodb/counter-items.ts';
import { DAY_MS } from '../../shared/time.ts';

const usage = (eventId: string, occurredAt: string, extra: Record<string, unknown> = {}): WorkflowEvent =>
  ({
    kind: 'ai.workflow.usage',
    source: 'test',
    detail: {
      schemaVersion: 1,
      eventId,
      workflowId: 'wf',
      occurredAt,
      model: 'm',
      inputTokens: 1_000_000,
      outputTokens: 0,
      latencyMs: 10,
      ...extra,
    },
  }) as unknown as WorkflowEvent;

const recordedWith = (event: WorkflowEvent, price: Pricer): RecordedEvent => ({
  pk: 'RAW#wf#0',
  sk: event.detail.eventId,
  accepted: {
    ref: event.detail.eventId,
    event,
    fingerprint: event.detail.eventId,
    delta: deltaFromEvent(event, price),
  },
});

const priceAt =
  (usd: number): Pricer =>
  () => ({ costNanos: BigInt(usd * 1e9), priceRef: `any/m@${usd}` });

describe('planReplay', () => {
  it('re-prices catalog-priced usage and sums it into the hour and day items of the workflow', () => {
    // Prepare: two events priced at $1, one reporting its own cost.
    const events = [
      recordedWith(usage('a', '2026-12-01T10:15:00Z'), priceAt(1)),
      recordedWith(usage('b', '2026-12-01T10:45:00Z'), priceAt(1)),
      recordedWith(usage('c', '2026-12-01T11:05:00Z', { costUsd: 0.5 }), priceAt(1)),
    ];

    // Act
    const plan = planReplay(events, {
      workflowId: 'wf',
      source: DeltaSource.reprice,
      price: priceAt(3),
      fromMs: Date.parse('2026-12-01T00:00:00Z'),
      itemsOf: counterItemsOf,
    });

    // Assess: the reported cost is unchanged; the priced events changed and are listed.
    const day = plan.owned.get('WF#wf|D#2026-12-01')?.counters.values;
    expect(day?.costPricedNanos).toBe(6_000_000_000n);
    expect(day?.costReportedNanos).toBe(500_000_000n);
    expect(plan.owned.get('WF#wf|H#2026-12-01T10')?.counters.pricedBy.get('any/m@3')).toBe(2n);
    expect(plan.changed.map((c) => c.recorded.sk)).toEqual(['a', 'b']);
    expect(plan.events).toBe(3);
  });

  it('keeps the stored delta with stored deltas, and ignores events before the window', () => {
    // Prepare
    const events = [
      recordedWith(usage('old', '2026-11-30T23:59:00Z'), priceAt(1)),
      recordedWith(usage('new', '2026-12-01T00:00:00Z'), noPrices),
    ];

    // Act
    const plan = planReplay(events, {
      workflowId: 'wf',
      source: DeltaSource.stored,
      price: priceAt(3),
      fromMs: Date.parse('2026-12-01T00:00:00Z'),
      itemsOf: counterItemsOf,
    });

    // Assess
    expect([...plan.owned.keys()].sort()).toEqual(['WF#wf|D#2026-12-01', 'WF#wf|H#2026-12-01T00']);
    expect(plan.owned.get('WF#wf|D#2026-12-01')?.counters.values.unpricedUsageEvents).toBe(1n);
    expect(plan.changed).toEqual([]);
  });
});

describe('replayFromMs', () => {
  const nowMs = Date.parse('2026-12-07T17:00:00Z');

  it('starts at the first midnight whose events are all still kept', () => {
    // 56 days before 2026-12-07T17:05 is 2026-10-12T17:05: the next midnight is 2026-10-13.
    expect(new Date(coveredFromMs(nowMs, 56)).toISOString()).toBe('2026-10-13T00:00:00.000Z');
    expect(replayFromMs({ nowMs, markerTtlDays: 56 })).toBe(coveredFromMs(nowMs, 56));
  });

  it('accepts a later day, and refuses an earlier one unless the history is vouched for', () => {
    expect(replayFromMs({ nowMs, markerTtlDays: 56, since: '2026-12-01' })).toBe(
      Date.parse('2026-12-01T00:00:00Z'),
    );
    expect(() => replayFromMs({ nowMs, markerTtlDays: 56, since: '2026-09-01' })).toThrow(ReplayRefusedError);
    expect(replayFromMs({ nowMs, markerTtlDays: 56, since: '2026-09-01', keptHistory: true })).toBe(
      coveredFromMs(nowMs, 56) - 42 * DAY_MS,
    );
    expect(() => replayFromMs({ nowMs, markerTtlDays: 56, since: '12/01/2026' })).toThrow(/UTC day/);
  });
});
