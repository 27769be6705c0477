import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { COUNTER_FIELDS, type Counters } from '../metrics/counters.ts';
import type { DistinctSketch } from '../metrics/distinct-sketch.ts';
import {
  counterAttributes,
  SKETCH,
  SKETCH_TOKENS,
  SKETCH_VERSION,
  sketchAttribute,
} from '../store/dynamodb/counter-codec.ts';
import { bucketStartIso } from '../time.ts';

type Item = Record<string, AttributeValue>;

/** Attribute prefixes of a counter item's applied-through stream positions (`seq_{shard}`). */
export const POSITION_PREFIX = 'seq_';
const COUNTER_PREFIXES = ['lat_', 'rsn_', 'prc_'] as const;
const counterFields = new Set<string>(COUNTER_FIELDS);

/** Whether an attribute of a counter item is a counter (rewritten by a replay) rather than bookkeeping. */
export const isCounterAttribute = (name: string): boolean =>
  counterFields.has(name) || COUNTER_PREFIXES.some((prefix) => name.startsWith(prefix));

/** The applied-through positions of an item. */
export const positionsOf = (item: Item): Record<string, string> =>
  Object.fromEntries(
    Object.entries(item)
      .filter(([name, value]) => name.startsWith(POSITION_PREFIX) && value.S !== undefined)
      .map(([name, value]) => [name, value.S as string]),
  );

/**
 * The highest applied-through position per write shard over a partition's counter items: with
 * counting caught up, every stream record of that shard at or below it has been applied. A counter
 * item a replay creates starts there, so a stream replay from the trim horizon adds nothing to it.
 */
export const highestPositions = (items: readonly Item[]): Record<string, string> => {
  const highest: Record<string, string> = {};
  for (const item of items)
    for (const [name, position] of Object.entries(positionsOf(item)))
      if (highest[name] === undefined || position > (highest[name] as string)) highest[name] = position;
  return highest;
};

const USERS_ATTRIBUTES = new Set([SKETCH, SKETCH_TOKENS, SKETCH_VERSION]);
const usersAttributes = (users: DistinctSketch): Item => (users.isEmpty ? {} : sketchAttribute(users));

/** Whether a stored hour item carries exactly the users sketch `users` (none when it is empty). */
export const holdsUsers = (stored: Item | undefined, users: DistinctSketch): boolean =>
  storedUsers(stored) === storedUsers(usersAttributes(users));

/**
 * The users attributes of a rebuilt hour item: the sketch, and its version moved on when the sketch
 * changes, so a counters function holding the old sketch in its cache merges into the new one.
 */
const rebuiltUsers = (stored: Item | undefined, users: DistinctSketch): Item => {
  const version = stored?.[SKETCH_VERSION];
  const moved = holdsUsers(stored, users) ? version : { N: String(Number(version?.N ?? 0) + 1) };
  return { ...usersAttributes(users), ...(moved ? { [SKETCH_VERSION]: moved } : {}) };
};

/**
 * A counter item rebuilt with `counters` (and, for an hour's totals, the users sketch it carries):
 * its bookkeeping (positions, workflowId, anything else) kept as stored, its counters replaced.
 *
 * @example
 * ```ts
 * const item = rebuiltCounterItem(stored, totals, { pk, sk, workflowId, positions, users });
 * ```
 */
export const rebuiltCounterItem = (
  stored: Item | undefined,
  counters: Counters,
  fresh: {
    pk: string;
    sk: string;
    workflowId: string;
    positions: Record<string, string>;
    users?: DistinctSketch;
  },
): Item => {
  const rebuilt = (name: string) =>
    !isCounterAttribute(name) && (fresh.users === undefined || !USERS_ATTRIBUTES.has(name));
  const kept = stored
    ? Object.fromEntries(Object.entries(stored).filter(([name]) => rebuilt(name)))
    : {
        pk: { S: fresh.pk },
        sk: { S: fresh.sk },
        workflowId: { S: fresh.workflowId },
        ...Object.fromEntries(Object.entries(fresh.positions).map(([name, value]) => [name, { S: value }])),
      };
  const users = fresh.users === undefined ? {} : rebuiltUsers(stored, fresh.users);
  return { ...kept, ...counterAttributes(counters), ...users };
};

/**
 * Whether a stored counter item holds exactly `counters` (zero counters and absent ones are alike).
 *
 * @example
 * ```ts
 * if (!holdsCounters(stored, totals)) rewrite(stored, totals);
 * ```
 */
export const holdsCounters = (stored: Item, counters: Counters): boolean => {
  const nonZero = (attributes: Item) =>
    JSON.stringify(
      Object.entries(attributes)
        .filter(
          ([name, value]) => isCounterAttribute(name) && value.N !== undefined && BigInt(value.N) !== 0n,
        )
        .map(([name, value]) => [name, BigInt(value.N as string).toString()])
        .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );
  return nonZero(stored) === nonZero(counterAttributes(counters));
};

/**
 * The condition that an item is as a replay read it: its positions unchanged (no stream batch applied
 * since), or still absent. A failed condition means counting was not quiescent.
 */
export const unchangedCondition = (
  stored: Item | undefined,
  versionAttribute?: string,
): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} => {
  if (!stored) return { ConditionExpression: 'attribute_not_exists(pk)' };
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const clauses = ['attribute_exists(pk)'];
  const watched = versionAttribute
    ? { [versionAttribute]: stored[versionAttribute] ?? { N: '0' } }
    : Object.fromEntries(Object.entries(positionsOf(stored)).map(([name, value]) => [name, { S: value }]));
  Object.entries(watched).forEach(([name, value], i) => {
    names[`#w${i}`] = name;
    values[`:w${i}`] = value;
    clauses.push(`#w${i} = :w${i}`);
  });
  return {
    ConditionExpression: clauses.join(' AND '),
    ...(clauses.length > 1 ? { ExpressionAttributeNames: names, ExpressionAttributeValues: values } : {}),
  };
};

/** The stored form of a sketch item's users, for comparing a rebuilt sketch with the stored one. */
export const storedUsers = (item: Item | undefined): string =>
  item?.[SKETCH]?.B
    ? `r:${Buffer.from(item[SKETCH].B).toString('base64')}`
    : item?.[SKETCH_TOKENS]?.B
      ? `t:${Buffer.from(item[SKETCH_TOKENS].B).toString('base64')}`
      : '';

/** The UTC instant a bucket's sort key starts at (`H#…`, `D#…`, `V#{variant}#H#…`, `UH#…`, `UD#…`), or undefined. */
export const bucketStartOf = (sk: string): number | undefined => {
  const key = sk.slice(sk.lastIndexOf('#') + 1);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2})?$/.test(key)) return undefined;
  return Date.parse(bucketStartIso(key));
};

/** The kind of a sort key in a workflow's counters partition. */
export const itemKindOf = (sk: string): 'counter' | 'sketch' | 'other' =>
  /^(H|D|V#.*#(H|D))#/.test(sk) ? 'counter' : /^U[HD]#/.test(sk) ? 'sketch' : 'other';
