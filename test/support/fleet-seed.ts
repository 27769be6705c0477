import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_VARIANT, type WorkflowEvent } from '../../events/schemas.ts';
import { eventFingerprint } from '../../shared/ingest/fingerprint.ts';
import { type Counters, emptyCounters, mergeCounters } from '../../shared/metrics/counters.ts';
import { DistinctSketch } from '../../shared/metrics/distinct-sketch.ts';
import { paddedSequence } from '../../shared/store/dynamodb/counter-applier.ts';
import {
  counterAttributes,
  SKETCH_VERSION,
  sketchAttribute,
} from '../../shared/store/dynamodb/counter-codec.ts';
import { counterItemsOf, sketchItemsOf } from '../../shared/store/dynamodb/counter-items.ts';
import { Keys } from '../../shared/store/dynamodb/keys.ts';
import { runPool } from '../../shared/store/dynamodb/pool.ts';
import type { AcceptedEvent } from '../../shared/store/port.ts';

type Item = Record<string, AttributeValue>;

/** One workflow's counts at one instant, already summed: what many events would have added. */
export interface SeededCounts {
  readonly workflowId: string;
  readonly occurredAt: string;
  readonly counters: Counters;
  readonly variant?: string;
}

/** An accepted event carrying `counts` as its delta, so counterItemsOf places it as counting would. */
const asAccepted = (counts: SeededCounts, index: number): AcceptedEvent => {
  const event = {
    kind: 'ai.workflow.outcome',
    source: 'seed',
    detail: {
      schemaVersion: 1,
      eventId: `seed-${index}`,
      workflowId: counts.workflowId,
      occurredAt: counts.occurredAt,
      status: 'succeeded',
      ...(counts.variant && counts.variant !== DEFAULT_VARIANT ? { variant: counts.variant } : {}),
    },
  } as WorkflowEvent;
  return { ref: `seed-${index}`, event, fingerprint: eventFingerprint(event), delta: counts.counters };
};

const writeAll = async (client: DynamoDBClient, tableName: string, items: readonly Item[]) => {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await runPool(chunks, 8, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error('seeding: items left unprocessed');
      const { UnprocessedItems } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  });
};

// Hour items (`H#…`, `V#{variant}#H#…`), which neither the list nor the digest reads.
const isHourly = (sk: string): boolean => /(^|#)H#/.test(sk);

/**
 * Writes, in bulk (BatchWriteItem), the counter and sketch items that counting `counts` through the
 * stream would leave: the keys come from `counterItemsOf` and `sketchItemsOf` as in the counters
 * function, the deltas summed per item (an hour's totals with its users sketch), each item marked
 * applied through sequence 1 of write shard 0;
 * and each workflow's registry item. `hours: false` leaves out the hour items (for benchmarks of
 * the list and the digest, which read days and weeks only). Seeds a fleet of thousands in seconds, where the counters
 * function would take minutes; tests that check counting itself go through the stream instead.
 *
 * @example
 * ```ts
 * await seedCountedFleet(client, tableName, [{ workflowId: 'wf', occurredAt, counters }], seenAt);
 * ```
 */
export const seedCountedFleet = async (
  client: DynamoDBClient,
  tableName: string,
  counts: readonly SeededCounts[],
  seenAt: string,
  { hours = true }: { readonly hours?: boolean } = {},
): Promise<{ items: number }> => {
  const counters = new Map<
    string,
    { pk: string; sk: string; workflowId: string; carriesUsers: boolean; counters: Counters }
  >();
  const sketches = new Map<string, { pk: string; sk: string; sketch: DistinctSketch }>();
  for (const [index, entry] of counts.entries()) {
    const accepted = asAccepted(entry, index);
    for (const { id, pk, sk, carriesUsers = false } of counterItemsOf(accepted).filter(
      (item) => hours || !isHourly(item.sk),
    )) {
      const target = counters.get(id) ?? {
        pk,
        sk,
        workflowId: entry.workflowId,
        carriesUsers,
        counters: emptyCounters(),
      };
      counters.set(id, target);
      mergeCounters(target.counters, entry.counters);
    }
    if (entry.counters.users.isEmpty) continue;
    for (const { id, pk, sk } of sketchItemsOf(accepted).filter((item) => hours || !isHourly(item.sk))) {
      const target = sketches.get(id) ?? { pk, sk, sketch: new DistinctSketch() };
      sketches.set(id, target);
      target.sketch.merge(entry.counters.users);
    }
  }
  const workflowIds = new Set(counts.map((c) => c.workflowId));
  const items: Item[] = [
    ...[...counters.values()].map(
      (c): Item => ({
        pk: { S: c.pk },
        sk: { S: c.sk },
        workflowId: { S: c.workflowId },
        [Keys.appliedThrough(Keys.recorded(c.workflowId, '').pk)]: { S: paddedSequence('1') },
        ...counterAttributes(c.counters),
        ...(c.carriesUsers && !c.counters.users.isEmpty
          ? { ...sketchAttribute(c.counters.users), [SKETCH_VERSION]: { N: '1' } }
          : {}),
      }),
    ),
    ...[...sketches.values()].map(
      (s): Item => ({ pk: { S: s.pk }, sk: { S: s.sk }, ...sketchAttribute(s.sketch), version: { N: '1' } }),
    ),
    ...[...workflowIds].map((workflowId): Item => {
      const { pk, sk } = Keys.registry(workflowId);
      return { pk: { S: pk }, sk: { S: sk }, firstSeenAt: { S: seenAt }, lastSeenAt: { S: seenAt } };
    }),
  ];
  await writeAll(client, tableName, items);
  return { items: items.length };
};
