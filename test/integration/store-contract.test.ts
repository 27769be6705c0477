import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { deltaFromEvent, noPrices } from '../../shared/metrics/counters.ts';
import { DynamoDbMetricsStore } from '../../shared/store/dynamodb/dynamodb-metrics-store.ts';
import { InMemoryMetricsStore } from '../../shared/store/memory/in-memory-metrics-store.ts';
import { encodePageToken, InvalidPageTokenError } from '../../shared/store/page-token.ts';
import type {
  AcceptedEvent,
  AdmissionPolicy,
  MetricsStore,
  QuarantineEntry,
} from '../../shared/store/port.ts';
import { settledFirst, startCounting } from '../support/counting.ts';
import { createTestTable } from '../support/dynamodb.ts';

/** A store as the functions see it: the aggregate function writes, the query API reads. */
interface Adapter {
  readonly writer: MetricsStore;
  readonly reader: MetricsStore;
  dispose(): Promise<void>;
}

/** Caps an adapter is built with, smaller than the defaults so a test can reach them. */
interface Caps {
  readonly reasonCodesPerWorkflow?: number;
  readonly variantsPerWorkflow?: number;
}

const ADAPTERS: Array<[string, (options?: Caps) => Promise<Adapter>]> = [
  [
    'DynamoDB (DynamoDB Local, with each function’s permissions)',
    async (options = {}) => {
      const table = await createTestTable();
      const tableName = table.tableName;
      const counting = startCounting(table);
      return {
        writer: new DynamoDbMetricsStore({ client: table.clientOf('aggregate'), tableName, ...options }),
        // Counters follow recording by the stream's lag: the reader waits for the counters function
        // to catch up, as a reader on AWS would after the lag.
        reader: settledFirst(
          new DynamoDbMetricsStore({ client: table.clientOf('api'), tableName }),
          counting,
        ),
        dispose: async () => {
          await counting.stop();
          await table.drop();
        },
      };
    },
  ],
  [
    'in memory',
    async (options = {}) => {
      const store = new InMemoryMetricsStore(options);
      return { writer: store, reader: store, dispose: async () => undefined };
    },
  ],
];

const accepted = (
  event: WorkflowEvent,
  ref = `${event.detail.workflowId}/${event.detail.eventId}`,
): AcceptedEvent => ({
  ref,
  event,
  fingerprint: eventFingerprint(event),
  delta: deltaFromEvent(event, noPrices),
});

const outcome = (eventId: string, occurredAt: string, extra: Record<string, unknown> = {}) =>
  accepted({
    kind: 'ai.workflow.outcome',
    source: 'test',
    detail: { schemaVersion: 1, eventId, workflowId: 'wf', occurredAt, status: 'succeeded', ...extra },
  } as WorkflowEvent);

const override = (eventId: string, occurredAt: string, reasonCode: string) =>
  accepted({
    kind: 'ai.workflow.override',
    source: 'test',
    detail: { schemaVersion: 1, eventId, workflowId: 'wf', occurredAt, decision: 'rejected', reasonCode },
  } as WorkflowEvent);

const policy = (overrides: Partial<AdmissionPolicy> = {}): AdmissionPolicy => ({
  day: '2026-11-23',
  nowIso: '2026-11-23T10:00:00.000Z',
  newWorkflowsPerDay: 2,
  catalogued: () => false,
  ...overrides,
});

describe.each(ADAPTERS)('the store contract: %s', (_name, make) => {
  it('counts each event once and tells an identical re-send from a conflicting one', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf'], policy());

    // Act
    const first = await store.writer.ingest([outcome('e1', '2026-11-23T10:05:00Z', { valueUsd: 1 })]);
    const again = await store.writer.ingest([
      outcome('e1', '2026-11-23T10:05:00Z', { valueUsd: 1 }),
      { ...outcome('e1', '2026-11-23T10:05:00Z', { valueUsd: 9 }), ref: 'other-version' },
    ]);

    // Assess
    expect(first.outcomes.get('wf/e1')).toBe('counted');
    expect(again.outcomes.get('wf/e1')).toBe('duplicate');
    expect(again.outcomes.get('other-version')).toBe('conflict');
    const [day] = await store.reader.readBuckets('wf', 'day', '2026-11-23', '2026-11-24');
    expect(day?.counters.values.succeeded).toBe(1n);
    expect(day?.counters.values.valueReportedNanos).toBe(1_000_000_000n);
    await store.dispose();
  });

  it('reports, for a conflict, the fingerprint of the version counted first, and none for a duplicate', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf'], policy());
    const counted = outcome('e1', '2026-11-23T10:05:00Z', { valueUsd: 1 });
    const other = { ...outcome('e1', '2026-11-23T10:05:00Z', { valueUsd: 9 }), ref: 'other-version' };
    await store.writer.ingest([counted]);

    // Act
    const again = await store.writer.ingest([counted, other]);

    // Assess
    expect(again.outcomes.get('other-version')).toBe('conflict');
    expect(again.storedFingerprints.get('other-version')).toBe(counted.fingerprint);
    expect(counted.fingerprint).not.toBe(other.fingerprint);
    expect(again.storedFingerprints.has(counted.ref)).toBe(false);
    await store.dispose();
  });

  it('reads hour and day buckets in [from, to) order, with the users of counted events only', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf'], policy());
    await store.writer.ingest([
      outcome('a', '2026-11-23T09:59:59Z', { userId: 'u1' }),
      outcome('b', '2026-11-23T10:00:00Z', { userId: 'u2' }),
      outcome('c', '2026-11-23T11:30:00Z', { userId: 'u2' }),
    ]);
    await store.writer.ingest([
      { ...outcome('c', '2026-11-23T11:30:00Z', { userId: 'u9' }), ref: 'conflict' },
    ]);

    // Act
    const hours = await store.reader.readBuckets('wf', 'hour', '2026-11-23T10', '2026-11-23T12');
    const days = await store.reader.readBuckets('wf', 'day', '2026-11-23', '2026-11-24');

    // Assess
    expect(hours.map((b) => [b.key, b.counters.values.succeeded])).toEqual([
      ['2026-11-23T10', 1n],
      ['2026-11-23T11', 1n],
    ]);
    expect(days[0]?.counters.values.succeeded).toBe(3n);
    expect(days[0]?.counters.users.estimate).toBe(2);
    await store.dispose();
  });

  it('rolls each counted event up into its workflow’s ISO week, with users and named variants, as its days sum', async () => {
    // Prepare: two workflows over the end of 2026-W47 (Sunday) and the start of 2026-W48 (Monday)
    const store = await make();
    await store.writer.admitWorkflows(['wf', 'wf-b'], policy());
    await store.writer.keptVariants('wf', ['ai']);
    await store.writer.ingest([
      outcome('sun', '2026-11-22T23:59:59Z', { userId: 'u1', valueUsd: 2 }),
      outcome('mon', '2026-11-23T00:00:00Z', { userId: 'u1', variant: 'ai', durationMs: 1_000 }),
      outcome('tue', '2026-11-24T10:00:00Z', { userId: 'u2', durationMs: 3_000 }),
      outcome('b1', '2026-11-24T11:00:00Z', { workflowId: 'wf-b', userId: 'u3' }),
    ]);
    await store.writer.ingest([
      { ...outcome('tue', '2026-11-24T10:00:00Z', { userId: 'u9', durationMs: 9_000 }), ref: 'conflict' },
      outcome('b1', '2026-11-24T11:00:00Z', { workflowId: 'wf-b', userId: 'u3' }),
    ]);

    // Act
    const [w47 = [], w48 = [], w49 = []] = await Promise.all(
      ['2026-W47', '2026-W48', '2026-W49'].map((week) => store.reader.readFleetWeek(week)),
    );
    const days = await store.reader.readBuckets('wf', 'day', '2026-11-23', '2026-11-30');

    // Assess
    expect(
      w47.map((e) => [e.workflowId, e.counters.values.succeeded, e.counters.values.valueReportedNanos]),
    ).toEqual([['wf', 1n, 2_000_000_000n]]);
    expect(w48.map((e) => e.workflowId)).toEqual(['wf', 'wf-b']);
    const [wf, b] = w48;
    const summed = days.reduce((total, day) => total + day.counters.values.durationMsSum, 0n);
    expect(wf?.counters.values.durationMsSum).toBe(summed);
    expect(wf?.counters.values.durationMsSum).toBe(4_000n);
    expect(wf?.counters.values.succeeded).toBe(2n);
    expect(wf?.counters.users.estimate).toBe(2);
    expect([...(wf?.variants.keys() ?? [])]).toEqual(['ai']);
    expect(wf?.variants.get('ai')?.values.durationMsSum).toBe(1_000n);
    expect(b?.counters.values.succeeded).toBe(1n);
    expect(b?.counters.users.estimate).toBe(1);
    expect(b?.variants.size).toBe(0);
    expect(w49).toEqual([]);
    await store.dispose();
  });

  it('sums a page of workflows’ days with their users, empty counters for a workflow with none', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf', 'wf-b'], policy());
    await store.writer.ingest([
      outcome('a', '2026-11-22T10:00:00Z', { userId: 'u1' }),
      outcome('b', '2026-11-23T10:00:00Z', { userId: 'u2' }),
      outcome('c', '2026-11-24T10:00:00Z', { userId: 'u3' }),
      outcome('d', '2026-11-23T12:00:00Z', { workflowId: 'wf-b', userId: 'u1' }),
    ]);

    // Act
    const totals = await store.reader.readDayTotals(['wf', 'wf-b', 'silent'], '2026-11-22', '2026-11-24');

    // Assess
    expect([...totals.keys()]).toEqual(['wf', 'wf-b', 'silent']);
    expect(totals.get('wf')?.values.succeeded).toBe(2n);
    expect(totals.get('wf')?.users.estimate).toBe(2);
    expect(totals.get('wf-b')?.values.succeeded).toBe(1n);
    expect(totals.get('silent')?.values.succeeded).toBe(0n);
    expect(totals.get('silent')?.users.estimate).toBe(0);
    await store.dispose();
  });

  it('admits new workflows up to the day’s cap, catalogued ones always, known ones again', async () => {
    // Prepare
    const store = await make();
    const catalogued = (id: string) => id === 'listed';

    // Act
    const first = await store.writer.admitWorkflows(['a', 'b', 'c', 'listed'], policy({ catalogued }));
    const later = await store.writer.admitWorkflows(['a', 'd'], policy({ catalogued }));
    const nextDay = await store.writer.admitWorkflows(['d'], policy({ day: '2026-11-24', catalogued }));

    // Assess
    expect([...first]).toEqual(['c']);
    expect([...later]).toEqual(['d']);
    expect([...nextDay]).toEqual([]);
    const page = await store.reader.listWorkflows(undefined, 10);
    expect(page.records.map((r) => r.workflowId)).toEqual(['a', 'b', 'd', 'listed']);
    await store.dispose();
  });

  it('keeps reason codes by name up to the cap, in order of arrival', async () => {
    // Prepare
    const store = await make({ reasonCodesPerWorkflow: 3 });
    await store.writer.admitWorkflows(['wf'], policy());

    // Act
    const first = await store.writer.keptReasonCodes('wf', ['tone', 'facts']);
    const second = await store.writer.keptReasonCodes('wf', ['facts', 'length', 'style', 'tone']);

    // Assess
    expect([...first].sort()).toEqual(['facts', 'tone']);
    expect([...second].sort()).toEqual(['facts', 'length', 'tone']);
    await store.dispose();
  });

  it('reads a variant’s buckets apart, while the totals still count every variant', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf'], policy());
    await store.writer.keptVariants('wf', ['ai', 'human']);

    // Act
    await store.writer.ingest([
      outcome('a1', '2026-11-23T10:05:00Z', { variant: 'ai', durationMs: 1_000 }),
      outcome('a2', '2026-11-23T11:05:00Z', { variant: 'ai', durationMs: 3_000 }),
      outcome('h1', '2026-11-23T10:10:00Z', { variant: 'human', durationMs: 60_000 }),
      outcome('d1', '2026-11-23T10:15:00Z', { durationMs: 5_000 }),
    ]);
    const read = (variant?: string) =>
      store.reader.readBuckets('wf', 'day', '2026-11-23', '2026-11-24', variant);
    const [ai, human, none, totals] = await Promise.all([read('ai'), read('human'), read('none'), read()]);
    const aiHours = await store.reader.readBuckets('wf', 'hour', '2026-11-23T10', '2026-11-23T12', 'ai');

    // Assess
    const durations = (buckets: typeof ai) =>
      buckets.map((b) => [b.key, b.counters.values.succeeded, b.counters.values.durationMsSum]);
    expect(durations(ai)).toEqual([['2026-11-23', 2n, 4_000n]]);
    expect(ai[0]?.counters.values.durationMsSquares).toBe(1_000n ** 2n + 3_000n ** 2n);
    expect(durations(human)).toEqual([['2026-11-23', 1n, 60_000n]]);
    expect(none).toEqual([]);
    expect(durations(totals)).toEqual([['2026-11-23', 4n, 69_000n]]);
    expect(durations(aiHours)).toEqual([
      ['2026-11-23T10', 1n, 1_000n],
      ['2026-11-23T11', 1n, 3_000n],
    ]);
    await store.dispose();
  });

  it('keeps named variants up to the cap, refuses the rest, and lists the kept ones in name order', async () => {
    // Prepare
    const store = await make({ variantsPerWorkflow: 2 });
    await store.writer.admitWorkflows(['wf'], policy());

    // Act
    const first = await store.writer.keptVariants('wf', ['zeta', 'alpha']);
    const second = await store.writer.keptVariants('wf', ['mid', 'alpha', 'zeta', 'omega']);
    const listed = await store.reader.variantsOf('wf');
    const unknown = await store.reader.variantsOf('never-seen');

    // Assess
    expect([...first].sort()).toEqual(['alpha', 'zeta']);
    expect([...second].sort()).toEqual(['alpha', 'zeta']);
    expect(listed).toEqual(['alpha', 'zeta']);
    expect(unknown).toEqual([]);
    await store.dispose();
  });

  it('keeps no variant or reason code for a workflow that was never admitted, and lists no such workflow', async () => {
    // Prepare
    const store = await make();

    // Act
    const variants = await store.writer.keptVariants('never-admitted', ['ai']);
    const codes = await store.writer.keptReasonCodes('never-admitted', ['tone']);
    const { records } = await store.reader.listWorkflows(undefined, 10);

    // Assess
    expect([...variants]).toEqual([]);
    expect([...codes]).toEqual([]);
    expect(records.map((r) => r.workflowId)).not.toContain('never-admitted');
    await store.dispose();
  });

  it('counts a re-sent event of a variant once in the variant too, and a conflicting one not at all', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf'], policy());
    await store.writer.keptVariants('wf', ['human']);
    const counted = outcome('h1', '2026-11-23T10:05:00Z', { variant: 'human', durationMs: 60_000 });
    await store.writer.ingest([counted]);

    // Act
    const again = await store.writer.ingest([
      counted,
      { ...outcome('h1', '2026-11-23T10:05:00Z', { variant: 'human', durationMs: 1 }), ref: 'other' },
    ]);
    const [day] = await store.reader.readBuckets('wf', 'day', '2026-11-23', '2026-11-24', 'human');
    const [hour] = await store.reader.readBuckets('wf', 'hour', '2026-11-23T10', '2026-11-23T11', 'human');

    // Assess
    expect([again.outcomes.get(counted.ref), again.outcomes.get('other')]).toEqual(['duplicate', 'conflict']);
    for (const bucket of [day, hour]) {
      expect(bucket?.counters.values.succeeded).toBe(1n);
      expect(bucket?.counters.values.durationMsSum).toBe(60_000n);
      expect(bucket?.counters.values.durationCount).toBe(1n);
    }
    await store.dispose();
  });

  it('pages the registry in id order and says where the next page starts', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['c', 'a', 'e', 'b', 'd'], policy({ newWorkflowsPerDay: 10 }));

    // Act
    const first = await store.reader.listWorkflows(undefined, 2);
    const second = await store.reader.listWorkflows(first.lastWorkflowId, 2);
    const last = await store.reader.listWorkflows(second.lastWorkflowId, 2);

    // Assess
    expect([first, second, last].map((p) => p.records.map((r) => r.workflowId))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
    expect(last.lastWorkflowId).toBeUndefined();
    await store.dispose();
  });

  it('keeps the audit log: overrides in time order, quarantine once per id, pipeline sums', async () => {
    // Prepare
    const store = await make();
    await store.writer.admitWorkflows(['wf'], policy());
    await store.writer.ingest([
      override('o2', '2026-11-23T10:02:00Z', 'tone'),
      override('o1', '2026-11-23T10:01:00Z', 'facts'),
    ]);
    const entry = {
      id: 'wf:bad',
      receivedAt: '2026-11-23T10:00:00.000Z',
      rejection: { code: 'invalid_field' as const, message: 'status: invalid', field: 'status' },
      body: '{}',
    };

    // Act
    await store.writer.quarantine([entry]);
    await store.writer.quarantine([entry]);
    await store.writer.recordPipeline('2026-11-23', {
      received: 3,
      counted: 2,
      duplicates: 0,
      conflicts: 0,
      quarantined: 1,
    });
    await store.writer.recordPipeline('2026-11-23', {
      received: 1,
      counted: 1,
      duplicates: 0,
      conflicts: 0,
      quarantined: 0,
    });

    // Assess
    const overrides = await store.reader.listOverrides(
      'wf',
      '2026-11-23T00:00:00Z',
      '2026-11-24T00:00:00Z',
      10,
    );
    expect(overrides.map((o) => [o.eventId, o.reasonCode])).toEqual([
      ['o1', 'facts'],
      ['o2', 'tone'],
    ]);
    expect(
      (await store.reader.listQuarantine('2026-11-23', { limit: 10 })).entries.map((q) => q.rejection.field),
    ).toEqual(['status']);
    expect(await store.reader.readPipeline('2026-11-23', '2026-11-24')).toEqual([
      { day: '2026-11-23', received: 4, counted: 3, duplicates: 0, conflicts: 0, quarantined: 1 },
    ]);
    await store.dispose();
  });

  it('lists a day of quarantine newest first, page by page, each event exactly once', async () => {
    // Prepare: ids sort against arrival order, two events share a batch's instant, one arrives again
    // later, and one belongs to the next day.
    const store = await make();
    const refused = (id: string, receivedAt: string): QuarantineEntry => ({
      id,
      receivedAt,
      rejection: { code: 'invalid_field', message: 'status: invalid', field: 'status' },
      body: '{}',
    });
    await store.writer.quarantine([refused('wf:z', '2026-11-23T08:00:00.000Z')]);
    await store.writer.quarantine([
      refused('wf:y', '2026-11-23T09:00:00.000Z'),
      refused('wf:x', '2026-11-23T09:00:00.000Z'),
    ]);
    await store.writer.quarantine([refused('wf:w', '2026-11-23T10:00:00.000Z')]);
    await store.writer.quarantine([refused('wf:a', '2026-11-23T11:00:00.000Z')]);
    await store.writer.quarantine([refused('wf:z', '2026-11-23T12:00:00.000Z')]);
    await store.writer.quarantine([refused('wf:b', '2026-11-24T00:00:00.000Z')]);

    // Act
    const pages: Array<{ ids: string[]; more: boolean }> = [];
    let nextToken: string | undefined;
    do {
      const page = await store.reader.listQuarantine('2026-11-23', {
        limit: 2,
        ...(nextToken ? { nextToken } : {}),
      });
      pages.push({ ids: page.entries.map((entry) => entry.id), more: page.nextToken !== undefined });
      nextToken = page.nextToken;
    } while (nextToken);

    // Assess
    expect(pages).toEqual([
      { ids: ['wf:a', 'wf:w'], more: true },
      { ids: ['wf:y', 'wf:x'], more: true },
      { ids: ['wf:z'], more: false },
    ]);
    const kept = (await store.reader.listQuarantine('2026-11-23', { limit: 10 })).entries.at(-1);
    expect(kept?.receivedAt).toBe('2026-11-23T08:00:00.000Z');
    await store.dispose();
  });

  it.each([
    ['garbled', 'not-a-token'],
    ['of another listing', encodePageToken('wf-a')],
    ['without a position', Buffer.from('{}').toString('base64url')],
  ])('refuses a quarantine page token that is %s', async (_kind, nextToken) => {
    // Prepare
    const store = await make();

    // Act
    const listing = store.reader.listQuarantine('2026-11-23', { limit: 2, nextToken });

    // Assess
    await expect(listing).rejects.toBeInstanceOf(InvalidPageTokenError);
    await store.dispose();
  });
});
