import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { COUNTER_FIELDS, type Counters, emptyCounters } from '../../metrics/counters.ts';
import {
  DistinctSketch,
  packRegisters,
  packTokens,
  unpackRegisters,
  unpackTokens,
} from '../../metrics/distinct-sketch.ts';

const LATENCY_PREFIX = 'lat_';
const REASON_PREFIX = 'rsn_';
const PRICE_PREFIX = 'prc_';
/**
 * The distinct-users sketch: in its own item for a day and a fleet week, in the counter item for an
 * hour (see table.ts). No counter is named like it (counters are COUNTER_FIELDS or prefixed).
 */
export const SKETCH = 'sketch';
/** An exact sketch stores the users' hashes instead of registers. */
export const SKETCH_TOKENS = 'userHashes';
/**
 * The version of the sketch an hour's counter item carries: its merge is conditional on it, as a
 * sketch item's is on `version` (DynamoDB has no "max" update).
 */
export const SKETCH_VERSION = 'usersVersion';

/** The stored attribute of a sketch: its hashes while exact, else its packed registers. */
export const sketchAttribute = (sketch: DistinctSketch): Record<string, AttributeValue> =>
  sketch.tokens
    ? { [SKETCH_TOKENS]: { B: packTokens(sketch.tokens) } }
    : { [SKETCH]: { B: packRegisters(sketch.registers) } };

/** The sketch stored in an item, or an empty one. */
export const sketchFromItem = (item: Record<string, AttributeValue> | undefined): DistinctSketch => {
  if (item?.[SKETCH]?.B) return new DistinctSketch(unpackRegisters(item[SKETCH].B));
  if (item?.[SKETCH_TOKENS]?.B) return DistinctSketch.ofTokens(unpackTokens(item[SKETCH_TOKENS].B));
  return new DistinctSketch();
};

/**
 * A counter delta as plain attributes (names as in counter items, non-zero values only, no users), so
 * a recorded event carries its delta and {@link countersFromItem} reads it back.
 */
export const counterAttributes = (delta: Counters): Record<string, AttributeValue> => {
  const attributes: Record<string, AttributeValue> = {};
  for (const field of COUNTER_FIELDS) {
    const value = delta.values[field];
    if (value !== 0n) attributes[field] = { N: value.toString() };
  }
  for (const [bucket, count] of delta.latency)
    attributes[`${LATENCY_PREFIX}${bucket}`] = { N: count.toString() };
  for (const [reason, count] of delta.reasons)
    attributes[`${REASON_PREFIX}${reason}`] = { N: count.toString() };
  for (const [ref, count] of delta.pricedBy) attributes[`${PRICE_PREFIX}${ref}`] = { N: count.toString() };
  return attributes;
};

/**
 * An `ADD` update expression for a counter delta: only non-zero counters are written, so items stay
 * small and the expression within DynamoDB's 4 KB limit. `extraSet` attributes are set and `remove`
 * ones removed in the same write.
 */
export const counterUpdate = (
  delta: Counters,
  extraSet: Record<string, AttributeValue> = {},
  remove: readonly string[] = [],
): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
} => {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const adds: string[] = [];
  const add = (attribute: string, value: AttributeValue): void => {
    const i = adds.length;
    names[`#a${i}`] = attribute;
    values[`:a${i}`] = value;
    adds.push(`#a${i} :a${i}`);
  };
  for (const field of COUNTER_FIELDS) {
    const value = delta.values[field];
    if (value !== 0n) add(field, { N: value.toString() });
  }
  for (const [bucket, count] of delta.latency) add(`${LATENCY_PREFIX}${bucket}`, { N: count.toString() });
  for (const [reason, count] of delta.reasons) add(`${REASON_PREFIX}${reason}`, { N: count.toString() });
  for (const [ref, count] of delta.pricedBy) add(`${PRICE_PREFIX}${ref}`, { N: count.toString() });

  const sets = Object.entries(extraSet).map(([attribute, value], i) => {
    names[`#s${i}`] = attribute;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((attribute, i) => {
    names[`#r${i}`] = attribute;
    return `#r${i}`;
  });
  const expression = [
    adds.length ? `ADD ${adds.join(', ')}` : '',
    sets.length ? `SET ${sets.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};

/** Reads counters back from a raw item, keeping every number exact as bigint. */
export const countersFromItem = (item: Record<string, AttributeValue>): Counters => {
  const counters = emptyCounters();
  const fields = new Set<string>(COUNTER_FIELDS);
  for (const [attribute, value] of Object.entries(item)) {
    if (value.N !== undefined) {
      const n = BigInt(value.N);
      if (fields.has(attribute)) counters.values[attribute as (typeof COUNTER_FIELDS)[number]] = n;
      else if (attribute.startsWith(LATENCY_PREFIX))
        counters.latency.set(Number(attribute.slice(LATENCY_PREFIX.length)), n);
      else if (attribute.startsWith(REASON_PREFIX))
        counters.reasons.set(attribute.slice(REASON_PREFIX.length), n);
      else if (attribute.startsWith(PRICE_PREFIX))
        counters.pricedBy.set(attribute.slice(PRICE_PREFIX.length), n);
    } else if (attribute === SKETCH && value.B) {
      counters.users.merge(new DistinctSketch(unpackRegisters(value.B)));
    } else if (attribute === SKETCH_TOKENS && value.B) {
      counters.users.merge(DistinctSketch.ofTokens(unpackTokens(value.B)));
    }
  }
  return counters;
};
