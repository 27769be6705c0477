import type { Attributes, AttributeValue } from '@opentelemetry/api';

/**
 * OTLP `KeyValue` lists (decoded from protobuf or read from OTLP/JSON, both in the plain JSON shape)
 * as OpenTelemetry `Attributes`, so that one reader (events/otel/genai-attributes.ts) serves the
 * in-process span processor and the OTLP endpoint alike. Strings, booleans, numbers and arrays of
 * them are kept; nested key-value lists and bytes are not attribute values Yardstick reads.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// OTLP/JSON writes 64-bit integers as strings (or numbers); a count beyond 2^53 stays a string, which
// the readers then refuse instead of rounding.
const integer = (value: unknown): number | string | undefined => {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return undefined;
};

type Scalar = string | number | boolean;

const scalarOf = (any: Record<string, unknown>): Scalar | undefined => {
  if (typeof any.stringValue === 'string') return any.stringValue;
  if (typeof any.boolValue === 'boolean') return any.boolValue;
  if (any.intValue !== undefined) return integer(any.intValue);
  if (typeof any.doubleValue === 'number') return any.doubleValue;
  // OTLP/JSON may spell non-finite doubles as strings ("NaN", "Infinity"): not a usable value.
  return undefined;
};

const attributeValue = (any: unknown): AttributeValue | undefined => {
  if (!isRecord(any)) return undefined;
  const scalar = scalarOf(any);
  if (scalar !== undefined) return scalar;
  const array = isRecord(any.arrayValue) ? any.arrayValue.values : undefined;
  if (!Array.isArray(array)) return undefined;
  const items = array.map((item) => (isRecord(item) ? scalarOf(item) : undefined));
  return items.every((item) => typeof item === 'string')
    ? (items as string[])
    : items.every((item) => typeof item === 'number')
      ? (items as number[])
      : undefined;
};

/**
 * Reads an OTLP attribute list; entries that are not key-value pairs are skipped, a repeated key
 * keeps its first value.
 *
 * @example
 * ```ts
 * toAttributes([{ key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } }]); // { 'gen_ai.usage.input_tokens': 12 }
 * ```
 */
export const toAttributes = (list: unknown): Attributes => {
  const attributes: Attributes = {};
  if (!Array.isArray(list)) return attributes;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.key !== 'string' || entry.key in attributes) continue;
    const value = attributeValue(entry.value);
    if (value !== undefined) attributes[entry.key] = value;
  }
  return attributes;
};

/** The attribute as a non-empty trimmed string, if it is one. */
export const textAttribute = (attributes: Attributes, key: string): string | undefined => {
  const value = attributes[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

export { isRecord };
