import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { itemSizeBytes } from './item-size.ts';
import { queryReadUnits, readUnits, WriteAction, type WriteActionName, writeUnits } from './write-units.ts';

type Item = Record<string, AttributeValue>;
type Key = { pk: AttributeValue; sk: AttributeValue };

/** What one kind of request on one kind of item cost. */
export interface LedgerLine {
  requests: number;
  items: number;
  writeUnits: number;
  readUnits: number;
  /** Items whose condition failed (charged all the same). */
  failedItems: number;
  /** Bytes of the items as written (puts: as sent; updates: as they stand after). */
  bytes: number;
}

/** Every request one client sent, priced by DynamoDB's rules, by `"{command} {item kind}"`. */
export interface RequestLedger {
  readonly lines: Map<string, LedgerLine>;
  /** DynamoDB Streams requests (GetRecords, GetShardIterator, DescribeStream): free for Lambda triggers. */
  streamRequests: number;
  reset(): void;
}

/** The item kinds of the single-table layout (shared/store/dynamodb/keys.ts), for the per-kind split. */
export const itemKindOf = (pk: string, sk: string): string => {
  if (pk.startsWith('RAW#')) return 'recorded event';
  if (pk.startsWith('WF#')) return /^U[HD]#/.test(sk) ? 'users sketch' : 'counter';
  if (pk.startsWith('OVR#')) return 'override trail';
  if (pk.startsWith('QUAR#')) return 'quarantine';
  if (pk.startsWith('CONFLICT#')) return 'conflict';
  if (pk === 'PIPELINE') return 'pipeline counters';
  if (pk.startsWith('WORKFLOWS')) return 'workflow registry';
  if (pk.startsWith('idempotency#')) return 'idempotency record';
  if (pk.startsWith('FLOOR#')) return 'event (floor)';
  return 'other';
};

const keyOf = (item: Item): Key => ({ pk: item.pk as AttributeValue, sk: item.sk as AttributeValue });
const idOf = (key: Key | Item) => `${key.pk?.S}\u0000${key.sk?.S}`;

/** One write as the request described it. */
interface Planned {
  readonly table: string;
  readonly key: Key;
  readonly action: WriteActionName;
  readonly sent?: Item;
  readonly transactional: boolean;
}

const plannedWrites = (command: string, input: Record<string, unknown>): Planned[] => {
  const table = input.TableName as string;
  if (command === 'PutItemCommand') {
    const item = input.Item as Item;
    return [{ table, key: keyOf(item), action: WriteAction.put, sent: item, transactional: false }];
  }
  if (command === 'UpdateItemCommand' || command === 'DeleteItemCommand') {
    const action = command === 'UpdateItemCommand' ? WriteAction.update : WriteAction.delete;
    return [{ table, key: input.Key as Key, action, transactional: false }];
  }
  if (command === 'BatchWriteItemCommand') {
    return Object.entries(input.RequestItems as Record<string, WriteRequest[]>).flatMap(([t, requests]) =>
      requests.map((r): Planned => {
        if (r.PutRequest?.Item) {
          const item = r.PutRequest.Item;
          return { table: t, key: keyOf(item), action: WriteAction.put, sent: item, transactional: false };
        }
        return {
          table: t,
          key: r.DeleteRequest?.Key as Key,
          action: WriteAction.delete,
          transactional: false,
        };
      }),
    );
  }
  if (command === 'TransactWriteItemsCommand') {
    return (input.TransactItems as TransactWriteItem[]).map((a): Planned => {
      if (a.Put)
        return {
          table: a.Put.TableName as string,
          key: keyOf(a.Put.Item as Item),
          action: WriteAction.put,
          sent: a.Put.Item as Item,
          transactional: true,
        };
      const keyed = (a.Update ?? a.Delete ?? a.ConditionCheck) as { TableName: string; Key: Key };
      const action = a.Update
        ? WriteAction.update
        : a.Delete
          ? WriteAction.delete
          : WriteAction.conditionCheck;
      return { table: keyed.TableName, key: keyed.Key, action, transactional: true };
    });
  }
  return [];
};

/** Whole-item sizes of these keys (0 when absent), read strongly consistent by an unlogged client. */
const sizesOf = async (sizer: DynamoDBClient, table: string, keys: readonly Key[]) => {
  const sizes = new Map<string, number>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending = keys.slice(i, i + 100);
    const unique = new Map(pending.map((k) => [idOf(k), k]));
    pending = [...unique.values()];
    while (pending.length > 0) {
      const response = await sizer.send(
        new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of response.Responses?.[table] ?? []) sizes.set(idOf(item), itemSizeBytes(item));
      pending = (response.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  }
  return sizes;
};

const groupByTable = <T extends { table: string }>(items: readonly T[]) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.table, [...(groups.get(item.table) ?? []), item]);
  return groups;
};

const sizesOfAll = async (sizer: DynamoDBClient, planned: readonly Planned[]) => {
  const sizes = new Map<string, number>();
  for (const [table, group] of groupByTable(planned)) {
    for (const [id, size] of await sizesOf(
      sizer,
      table,
      group.map((p) => p.key),
    ))
      sizes.set(`${table}\u0000${id}`, size);
  }
  return (p: Planned) => sizes.get(`${p.table}\u0000${idOf(p.key)}`) ?? 0;
};

const CONDITION_FAILURES = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

/**
 * Logs and prices every request `client` sends, by DynamoDB's rules (write-units.ts): the items a
 * write touches are read (whole, strongly consistent, by the unlogged `sizer`) before and after it,
 * so an update is sized by the larger of its old and new item. Reading around each write slows the
 * client: use it for counting units, not for timing.
 *
 * @example
 * ```ts
 * const ledger = attachRequestLedger(aggregate.dynamodb, adminClient);
 * await countBatch(...);
 * console.log(ledger.lines);
 * ```
 */
export const attachRequestLedger = (
  client: DynamoDBClient,
  sizer: DynamoDBClient,
  streams?: DynamoDBStreamsClient,
): RequestLedger => {
  const ledger: RequestLedger = {
    lines: new Map(),
    streamRequests: 0,
    reset() {
      this.lines.clear();
      this.streamRequests = 0;
    },
  };
  const lineOf = (command: string, kind: string) => {
    const name = `${command.replace(/Command$/, '')} ${kind}`;
    let line = ledger.lines.get(name);
    if (!line) {
      line = { requests: 0, items: 0, writeUnits: 0, readUnits: 0, failedItems: 0, bytes: 0 };
      ledger.lines.set(name, line);
    }
    return line;
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as Record<string, unknown>;
      const planned = plannedWrites(command, input);
      if (planned.length > 0) {
        // A lone put returns its old item and a lone update its new one when asked: asking saves a
        // read around the write (the caller gets back exactly what it asked for).
        const single = command === 'PutItemCommand' || command === 'UpdateItemCommand';
        const askedValues = single && input.ReturnValues === undefined;
        const askedOnFailure = single && input.ReturnValuesOnConditionCheckFailure === undefined;
        const sent = {
          ...args,
          input: {
            ...input,
            ...(askedValues ? { ReturnValues: command === 'PutItemCommand' ? 'ALL_OLD' : 'ALL_NEW' } : {}),
            ...(askedOnFailure ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {}),
          },
        };
        // A lone write that returns the item on success and on failure needs no read before it: a
        // put returns its old item; an update its new one, which is the larger of the two for every
        // update this project sends (ADD to numbers, SET of values no shorter than before:
        // timestamps, padded sequence numbers, a status moving to COMPLETED with its result).
        const needsBefore = !(
          askedValues &&
          (askedOnFailure || input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD')
        );
        const before = needsBefore ? await sizesOfAll(sizer, planned) : () => 0;
        let failed = false;
        let output: Awaited<ReturnType<typeof next>> | undefined;
        let thrown: unknown;
        try {
          output = await next(sent);
        } catch (error) {
          thrown = error;
          failed = CONDITION_FAILURES.has((error as Error)?.name);
        }
        if (thrown !== undefined && !failed) throw thrown;
        const returned = (output?.output as { Attributes?: Item } | undefined)?.Attributes;
        const oldOnFailure = (thrown as { Item?: Item } | undefined)?.Item;
        if (askedValues && output) delete (output.output as { Attributes?: Item }).Attributes;
        if (askedOnFailure && thrown) delete (thrown as { Item?: Item }).Item;
        const unprocessed = new Set<string>();
        const left = (output?.output as { UnprocessedItems?: Record<string, WriteRequest[]> } | undefined)
          ?.UnprocessedItems;
        for (const [t, requests] of Object.entries(left ?? {}))
          for (const r of requests)
            unprocessed.add(`${t}\u0000${idOf((r.PutRequest?.Item ?? r.DeleteRequest?.Key) as Key)}`);
        const done = planned.filter((p) => !unprocessed.has(`${p.table}\u0000${idOf(p.key)}`));
        let oldSize = before;
        let newSize = before;
        if (!needsBefore && command === 'UpdateItemCommand')
          oldSize = () => (failed && oldOnFailure ? itemSizeBytes(oldOnFailure) : 0);
        if (!needsBefore && command === 'PutItemCommand')
          oldSize = () =>
            failed
              ? oldOnFailure
                ? itemSizeBytes(oldOnFailure)
                : 0
              : returned
                ? itemSizeBytes(returned)
                : 0;
        if (!failed && askedValues && command === 'UpdateItemCommand')
          newSize = () => (returned ? itemSizeBytes(returned) : 0);
        else if (!failed)
          newSize = await sizesOfAll(
            sizer,
            done.filter((p) => p.action === WriteAction.update),
          );
        const kinds = new Set<string>();
        for (const p of done) {
          const kind = itemKindOf(p.key.pk?.S ?? '', p.key.sk?.S ?? '');
          const line = lineOf(command, kind);
          if (!kinds.has(kind)) line.requests++;
          kinds.add(kind);
          line.items++;
          if (failed) line.failedItems++;
          const newBytes = p.sent ? itemSizeBytes(p.sent) : newSize(p);
          if (!failed) line.bytes += newBytes;
          line.writeUnits += writeUnits({
            action: p.action,
            oldBytes: oldSize(p),
            newBytes,
            transactional: p.transactional,
            failed,
          });
        }
        if (thrown !== undefined) throw thrown;
        return output as Awaited<ReturnType<typeof next>>;
      }
      const output = await next(args);
      const consistent = input.ConsistentRead === true;
      if (command === 'GetItemCommand' || command === 'BatchGetItemCommand') {
        const requested: Array<{ table: string; key: Key; consistent: boolean }> =
          command === 'GetItemCommand'
            ? [{ table: input.TableName as string, key: input.Key as Key, consistent }]
            : Object.entries(
                input.RequestItems as Record<string, { Keys: Key[]; ConsistentRead?: boolean }>,
              ).flatMap(([table, r]) =>
                r.Keys.map((key) => ({ table, key, consistent: r.ConsistentRead === true })),
              );
        const size = await sizesOfAll(
          sizer,
          requested.map((r) => ({ ...r, action: WriteAction.put, transactional: false })),
        );
        const kinds = new Set<string>();
        for (const r of requested) {
          const kind = itemKindOf(r.key.pk?.S ?? '', r.key.sk?.S ?? '');
          const line = lineOf(command, kind);
          if (!kinds.has(kind)) line.requests++;
          kinds.add(kind);
          line.items++;
          line.readUnits += readUnits(size({ ...r, action: WriteAction.put, transactional: false }), r);
        }
      } else if (command === 'QueryCommand') {
        const items = ((output.output as { Items?: Item[] }).Items ?? []) as Item[];
        const first = items[0];
        const line = lineOf(command, first ? itemKindOf(first.pk?.S ?? '', first.sk?.S ?? '') : 'none found');
        line.requests++;
        line.items += items.length;
        line.readUnits += queryReadUnits(items.map(itemSizeBytes), { consistent });
      } else {
        lineOf(command, '-').requests++;
      }
      return output;
    },
    { step: 'initialize', name: `requestLedger-${Math.random()}` },
  );
  streams?.middlewareStack.add(
    (next) => async (args) => {
      ledger.streamRequests++;
      return next(args);
    },
    { step: 'initialize', name: `streamLedger-${Math.random()}` },
  );
  return ledger;
};

/** The sums of a ledger's lines. */
export const ledgerTotals = (ledger: RequestLedger) => {
  let requests = 0;
  let write = 0;
  let read = 0;
  for (const line of ledger.lines.values()) {
    requests += line.requests;
    write += line.writeUnits;
    read += line.readUnits;
  }
  return { requests, writeUnits: write, readUnits: read };
};
