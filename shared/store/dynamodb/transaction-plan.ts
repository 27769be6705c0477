import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { DEFAULT_VARIANT } from '../../../events/schemas.ts';
import { type Counters, emptyCounters, mergeCounters } from '../../metrics/counters.ts';
import { dayKey, hourKey } from '../../time.ts';
import type { AcceptedEvent } from '../port.ts';
import { counterUpdate } from './counter-codec.ts';
import { Keys } from './keys.ts';

/** DynamoDB's limit of actions in one TransactWriteItems call. */
export const MAX_TRANSACTION_ACTIONS = 100;

const isOverride = (accepted: AcceptedEvent): boolean => accepted.event.kind === 'ai.workflow.override';

/** One counter item an event adds to: its workflow's totals, or its variant's, per hour and per day. */
interface CounterItemKey {
  readonly id: string;
  readonly pk: string;
  readonly sk: string;
}

/**
 * The counter items an event adds to: the workflow's hour and day totals, and, for a variant other
 * than `default`, the variant's hour and day (the default variant is read as totals minus the others,
 * so workflows that run no variants pay nothing for them).
 */
export const counterItemsOf = (accepted: AcceptedEvent): CounterItemKey[] => {
  const { workflowId, occurredAt, variant = DEFAULT_VARIANT } = accepted.event.detail;
  const ms = Date.parse(occurredAt);
  const pk = Keys.counters(workflowId);
  const keys: CounterItemKey[] = [];
  for (const [granularity, key] of [
    ['hour', hourKey(ms)],
    ['day', dayKey(ms)],
  ] as const) {
    keys.push({ id: `${workflowId}|${granularity}|${key}`, pk, sk: Keys.bucket(granularity, key) });
    if (variant !== DEFAULT_VARIANT) {
      const sk = Keys.variantBucket(variant, granularity, key);
      keys.push({ id: `${workflowId}|${sk}`, pk, sk });
    }
  }
  return keys;
};

/**
 * Splits events into groups whose transaction fits in `maxActions`: one marker per event, one audit
 * item per override, and one counter update per distinct (workflow, hour) and (workflow, day). A group
 * never spans workflows, so a write DynamoDB refuses can only ever hold back events of its own
 * workflow (and bisection then isolates the one event to blame).
 */
export const planTransactionGroups = (
  events: readonly AcceptedEvent[],
  maxActions = MAX_TRANSACTION_ACTIONS,
): AcceptedEvent[][] => {
  const groups: AcceptedEvent[][] = [];
  let current: AcceptedEvent[] = [];
  let counterItems = new Set<string>();
  let actions = 0;
  for (const accepted of events) {
    const ids = counterItemsOf(accepted).map((item) => item.id);
    const newCounterItems = ids.filter((id) => !counterItems.has(id));
    const needed = 1 + (isOverride(accepted) ? 1 : 0) + newCounterItems.length;
    const otherWorkflow =
      current.length > 0 && current[0]?.event.detail.workflowId !== accepted.event.detail.workflowId;
    if ((otherWorkflow || actions + needed > maxActions) && current.length > 0) {
      groups.push(current);
      current = [];
      counterItems = new Set();
      for (const id of ids) counterItems.add(id);
      actions = 1 + (isOverride(accepted) ? 1 : 0) + ids.length;
    } else {
      for (const id of newCounterItems) counterItems.add(id);
      actions += needed;
    }
    current.push(accepted);
  }
  if (current.length > 0) groups.push(current);
  return groups;
};

export interface TransactionActions {
  readonly items: TransactWriteItem[];
  /** For each action index, the event whose dedupe marker it is (undefined for other actions). */
  readonly markerOf: (AcceptedEvent | undefined)[];
}

/**
 * Builds one group's actions: conditional dedupe markers (which make the whole transaction fail if
 * any event was already counted) plus the group's pre-aggregated counter deltas.
 */
export const buildTransaction = (
  tableName: string,
  group: readonly AcceptedEvent[],
  /** Epoch seconds; undefined keeps the markers for good (imported history). */
  markerExpiresAt: number | undefined,
): TransactionActions => {
  const items: TransactWriteItem[] = [];
  const markerOf: (AcceptedEvent | undefined)[] = [];
  const totals = new Map<string, { pk: string; sk: string; workflowId: string; counters: Counters }>();

  for (const accepted of group) {
    const { detail } = accepted.event;
    const marker = Keys.marker(detail.workflowId, detail.eventId);
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          pk: { S: marker.pk },
          sk: { S: marker.sk },
          fingerprint: { S: accepted.fingerprint },
          ...(markerExpiresAt === undefined ? {} : { expiresAt: { N: String(markerExpiresAt) } }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
    markerOf.push(accepted);

    if (accepted.event.kind === 'ai.workflow.override') {
      const d = accepted.event.detail;
      const key = Keys.override(d.workflowId, d.occurredAt, d.eventId);
      const item: Record<string, { S: string } | { N: string }> = {
        pk: { S: key.pk },
        sk: { S: key.sk },
        eventId: { S: d.eventId },
        occurredAt: { S: d.occurredAt },
        decision: { S: d.decision },
        source: { S: accepted.event.source },
      };
      if (d.runId) item.runId = { S: d.runId };
      if (d.reviewerId) item.reviewerId = { S: d.reviewerId };
      if (d.reasonCode) item.reasonCode = { S: d.reasonCode };
      if (d.reviewMs !== undefined) item.reviewMs = { N: String(d.reviewMs) };
      items.push({ Put: { TableName: tableName, Item: item } });
      markerOf.push(undefined);
    }

    for (const { id, pk, sk } of counterItemsOf(accepted)) {
      let entry = totals.get(id);
      if (!entry) {
        entry = { pk, sk, workflowId: detail.workflowId, counters: emptyCounters() };
        totals.set(id, entry);
      }
      mergeCounters(entry.counters, accepted.delta);
    }
  }

  for (const entry of totals.values()) {
    items.push({
      Update: {
        TableName: tableName,
        Key: { pk: { S: entry.pk }, sk: { S: entry.sk } },
        ...counterUpdate(entry.counters, { workflowId: { S: entry.workflowId } }),
      },
    });
    markerOf.push(undefined);
  }
  return { items, markerOf };
};
