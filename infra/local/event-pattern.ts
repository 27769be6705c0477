import { YardstickError } from '../../shared/errors.ts';
/**
 * Amazon EventBridge event-pattern matching for the local emulator, so that events are routed by the very
 * patterns the CDK rules deploy. Semantics follow the AWS "content filtering in event patterns" docs and
 * aws/event-ruler, the engine behind EventBridge: keys are ANDed, the matchers in a leaf array are ORed,
 * and an array in the event matches when any of its elements does.
 */

/** Operators accepted inside `{ "numeric": [...] }`. */
export type ComparisonOperator = '<' | '<=' | '=' | '>' | '>=';

/** A literal compared by equality; numbers compare numerically, `null` matches JSON null only. */
export type ExactMatcher = string | number | boolean | null;

type OneOrMany<T> = T | readonly T[];
type StringOrIgnoreCase = string | { readonly 'equals-ignore-case': string };

/** `{ "anything-but": ... }`: matches a present value that is none of the listed ones. */
export interface AnythingButMatcher {
  readonly 'anything-but':
    | OneOrMany<string>
    | OneOrMany<number>
    | { readonly prefix: OneOrMany<string> }
    | { readonly suffix: OneOrMany<string> }
    | { readonly 'equals-ignore-case': OneOrMany<string> }
    | { readonly wildcard: OneOrMany<string> };
}

/** The operator objects EventBridge accepts in a leaf array. */
export type ContentMatcher =
  | { readonly prefix: StringOrIgnoreCase }
  | { readonly suffix: StringOrIgnoreCase }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | AnythingButMatcher
  | {
      readonly numeric:
        | readonly [ComparisonOperator, number]
        | readonly [ComparisonOperator, number, ComparisonOperator, number];
    }
  | { readonly exists: boolean }
  | { readonly cidr: string };

/** One entry of a leaf array. */
export type Matcher = ExactMatcher | ContentMatcher;

/**
 * An EventBridge event pattern: each key is a leaf array of matchers or a nested pattern; the key `$or`
 * holds alternative sub-patterns.
 */
export interface EventPattern {
  readonly [field: string]: readonly Matcher[] | EventPattern | readonly EventPattern[];
}

/** Thrown by {@link validateEventPattern}; `path` locates the offending part, e.g. `$.detail.state[0]`. */
export class InvalidEventPatternError extends YardstickError {
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`Invalid event pattern at ${path}: ${reason}`);
    this.path = path;
  }
}

/**
 * Reports whether `event` matches `pattern` the way an EventBridge rule would. The pattern is assumed
 * valid; run {@link validateEventPattern} on it first, as PutRule would.
 *
 * @example
 * ```ts
 * const pattern = { source: [{ 'anything-but': { prefix: 'aws.' } }], detail: { tokens: [{ numeric: ['>', 0] }] } };
 * matchesEventPattern(pattern, { source: 'acme.bot', detail: { tokens: 42 } }); // true
 * matchesEventPattern(pattern, { source: 'aws.ec2', detail: { tokens: 42 } }); // false
 * ```
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesAt(pattern, event);
}

/**
 * Throws {@link InvalidEventPatternError} unless `pattern` is a pattern EventBridge would accept, so a
 * rule that works locally does not fail at deploy time.
 *
 * @example
 * ```ts
 * validateEventPattern({ detail: { tokens: [{ numeric: ['>', 0] }] } }); // ok
 * validateEventPattern({ detail: { tokens: [{ numeric: ['!=', 0] }] } });
 * // throws: Invalid event pattern at $.detail.tokens[0].numeric[0]: unknown numeric operator "!="
 * ```
 */
export function validateEventPattern(pattern: unknown): asserts pattern is EventPattern {
  validatePattern(pattern, '$');
}

// ---------------------------------------------------------------------------------------------- matching

function matchesAt(pattern: EventPattern, node: unknown): boolean {
  if (Array.isArray(node)) {
    // Per element, so that two fields of one sub-pattern cannot be satisfied by different array
    // elements (event-ruler's "array-consistent" matching).
    const elements = flattenArrays(node).filter(isPlainObject);
    return elements.length === 0
      ? matchesAt(pattern, undefined)
      : elements.some((element) => matchesAt(pattern, element));
  }
  return Object.entries(pattern).every(([key, spec]) => {
    if (key === '$or' && Array.isArray(spec)) {
      return (spec as readonly EventPattern[]).some((alternative) => matchesAt(alternative, node));
    }
    // hasOwn, not `in`: a pattern key such as "constructor" must not find Object.prototype members.
    const child = isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
    return Array.isArray(spec)
      ? matchesLeaf(spec as readonly Matcher[], leafValues(child))
      : matchesAt(spec as EventPattern, child);
  });
}

/** Scalars at a field; objects are not leaves, which is why `exists` ignores them as AWS documents. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return flattenArrays(value).filter((item) => !isPlainObject(item));
  return isPlainObject(value) ? [] : [value];
}

function matchesLeaf(matchers: readonly Matcher[], values: readonly unknown[]): boolean {
  return matchers.some((matcher) => {
    if (isPlainObject(matcher) && 'exists' in matcher) {
      const present = values.length > 0;
      return present === matcher.exists;
    }
    return values.some((value) => matchesValue(matcher, value));
  });
}

function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (!isPlainObject(matcher)) return matcher === value;
  const [operator, operand] = onlyEntry(matcher);
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof value === 'string' && matchesString(operator, operand, value);
    case 'anything-but':
      return matchesAnythingBut(operand as AnythingButMatcher['anything-but'], value);
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(operand as readonly unknown[], value);
    case 'cidr':
      return typeof value === 'string' && matchesCidr(operand as string, value);
    default:
      return false;
  }
}

type StringOperator = 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard';

function matchesString(operator: StringOperator, operand: unknown, value: string): boolean {
  if (isPlainObject(operand)) {
    // prefix/suffix with { equals-ignore-case }: compare both sides in one casing.
    const expected = String(operand['equals-ignore-case']).toLowerCase();
    return matchesString(operator, expected, value.toLowerCase());
  }
  const expected = String(operand);
  switch (operator) {
    case 'prefix':
      return value.startsWith(expected);
    case 'suffix':
      return value.endsWith(expected);
    case 'equals-ignore-case':
      return value.toLowerCase() === expected.toLowerCase();
    case 'wildcard':
      return wildcardRegExp(expected).test(value);
  }
}

function matchesAnythingBut(spec: AnythingButMatcher['anything-but'], value: unknown): boolean {
  if (isPlainObject(spec)) {
    const [operator, operand] = onlyEntry(spec);
    // A non-string can never start with, end with or equal a string, so it is "anything but" it;
    // AWS matches numbers and null here.
    if (typeof value !== 'string') return true;
    const excluded: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
    return !excluded.some((item) => matchesString(operator as StringOperator, item, value));
  }
  const excluded: readonly unknown[] = Array.isArray(spec) ? spec : [spec];
  return !excluded.includes(value);
}

function matchesNumeric(conditions: readonly unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    const holds = {
      '<': value < bound,
      '<=': value <= bound,
      '=': value === bound,
      '>': value > bound,
      '>=': value >= bound,
    }[conditions[i] as ComparisonOperator];
    if (!holds) return false;
  }
  return true;
}

function matchesCidr(cidr: string, value: string): boolean {
  const [network = '', bits = ''] = cidr.split('/');
  const address = parseIPv4(value);
  const base = parseIPv4(network);
  if (address === undefined || base === undefined) return false;
  // Division rather than bit masks: JS bitwise operators are signed 32-bit and break for /0 and 128.x.
  const blockSize = 2 ** (32 - Number(bits));
  return Math.floor(address / blockSize) === Math.floor(base / blockSize);
}

function parseIPv4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let address = 0;
  for (const octet of octets) {
    if (!/^(0|[1-9]\d{0,2})$/.test(octet) || Number(octet) > 255) return undefined;
    address = address * 256 + Number(octet);
  }
  return address;
}

function wildcardRegExp(glob: string): RegExp {
  let source = '';
  let escaping = false;
  for (const char of glob) {
    if (escaping) {
      source += escapeRegExp(char);
      escaping = false;
    } else if (char === '\\') {
      escaping = true;
    } else {
      source += char === '*' ? '.*' : escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 'su');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// -------------------------------------------------------------------------------------------- validation

const STRING_OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);
const COMPARISON_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

function validatePattern(pattern: unknown, path: string): void {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError(path, 'a pattern must be a JSON object');
  for (const [key, value] of Object.entries(pattern)) {
    const at = childPath(path, key);
    if (key === '$or') {
      validateOr(value, at);
    } else if (Array.isArray(value)) {
      // AWS rejects an empty list at PutRule rather than treating it as "never matches".
      if (value.length === 0) throw new InvalidEventPatternError(at, 'a matcher list must not be empty');
      value.forEach((matcher, index) => {
        validateMatcher(matcher, `${at}[${index}]`);
      });
    } else if (!isPlainObject(value)) {
      throw new InvalidEventPatternError(at, 'must be an array of matchers or a nested pattern object');
    } else {
      validatePattern(value, at);
    }
  }
}

function validateOr(value: unknown, path: string): void {
  if (!Array.isArray(value) || value.length < 2) {
    throw new InvalidEventPatternError(path, '$or must be an array of at least two patterns');
  }
  value.forEach((alternative, index) => {
    validatePattern(alternative, `${path}[${index}]`);
  });
}

function validateMatcher(matcher: unknown, path: string): void {
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'boolean') return;
  if (typeof matcher === 'number') {
    if (!Number.isFinite(matcher)) throw new InvalidEventPatternError(path, 'a number must be finite');
    return;
  }
  if (!isPlainObject(matcher)) {
    throw new InvalidEventPatternError(
      path,
      'a matcher must be a string, number, boolean, null or operator object',
    );
  }
  const entries = Object.entries(matcher);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    throw new InvalidEventPatternError(path, 'an operator object must have exactly one key');
  }
  const [operator, operand] = entry;
  const at = childPath(path, operator);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      validateStringOperand(isPlainObject(operand) ? ignoreCaseOperand(operand, at) : operand, at);
      return;
    case 'equals-ignore-case':
      validateStringOperand(operand, at);
      return;
    case 'wildcard':
      validateWildcard(operand, at);
      return;
    case 'anything-but':
      validateAnythingBut(operand, at);
      return;
    case 'numeric':
      validateNumeric(operand, at);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError(at, 'must be true or false');
      return;
    case 'cidr':
      validateCidr(operand, at);
      return;
    default:
      throw new InvalidEventPatternError(path, `unknown operator "${operator}"`);
  }
}

function ignoreCaseOperand(operand: Record<string, unknown>, path: string): unknown {
  const keys = Object.keys(operand);
  if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
    throw new InvalidEventPatternError(path, 'only { "equals-ignore-case": string } may be nested here');
  }
  return operand['equals-ignore-case'];
}

function validateStringOperand(operand: unknown, path: string): void {
  if (typeof operand !== 'string') throw new InvalidEventPatternError(path, 'must be a string');
}

/** event-ruler rejects `**` and any backslash escape other than `\*` and `\\`. */
function validateWildcard(operand: unknown, path: string): void {
  validateStringOperand(operand, path);
  let escaping = false;
  let previousWasWildcard = false;
  for (const char of operand as string) {
    if (escaping) {
      if (char !== '*' && char !== '\\') {
        throw new InvalidEventPatternError(path, `"\\${char}" is not a valid escape; use \\* or \\\\`);
      }
      escaping = false;
      previousWasWildcard = false;
    } else if (char === '\\') {
      escaping = true;
    } else {
      if (char === '*' && previousWasWildcard) {
        throw new InvalidEventPatternError(path, 'consecutive wildcard characters are not allowed');
      }
      previousWasWildcard = char === '*';
    }
  }
  if (escaping) throw new InvalidEventPatternError(path, 'ends with an unfinished backslash escape');
}

function validateAnythingBut(operand: unknown, path: string): void {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) return;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidEventPatternError(
        path,
        'a list must be non-empty and hold only strings or only numbers',
      );
    }
    return;
  }
  if (!isPlainObject(operand)) {
    throw new InvalidEventPatternError(path, 'must be a string, number, list of either, or operator object');
  }
  const entries = Object.entries(operand);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined || !STRING_OPERATORS.has(entry[0])) {
    throw new InvalidEventPatternError(
      path,
      'may only nest one of prefix, suffix, equals-ignore-case or wildcard',
    );
  }
  const [operator, inner] = entry;
  const at = childPath(path, operator);
  const items: readonly unknown[] = Array.isArray(inner) ? inner : [inner];
  if (items.length === 0) throw new InvalidEventPatternError(at, 'a list must not be empty');
  items.forEach((item, index) => {
    const itemPath = Array.isArray(inner) ? `${at}[${index}]` : at;
    if (operator === 'wildcard') validateWildcard(item, itemPath);
    else validateStringOperand(item, itemPath);
    // An empty prefix/suffix would exclude every string, which AWS refuses as a mistake.
    if ((operator === 'prefix' || operator === 'suffix') && item === '') {
      throw new InvalidEventPatternError(itemPath, `an empty ${operator} is not allowed`);
    }
  });
}

function validateNumeric(operand: unknown, path: string): void {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidEventPatternError(
      path,
      'must be [operator, number] or [operator, number, operator, number]',
    );
  }
  for (let i = 0; i < operand.length; i += 2) {
    const operator: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (typeof operator !== 'string' || !COMPARISON_OPERATORS.has(operator)) {
      throw new InvalidEventPatternError(
        `${path}[${i}]`,
        `unknown numeric operator ${JSON.stringify(operator)}`,
      );
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new InvalidEventPatternError(`${path}[${i + 1}]`, 'numeric operand must be a number');
    }
  }
  if (operand.length === 4) {
    // event-ruler only accepts a range written lower bound first, and a non-empty one.
    const [lowerOperator, lower, upperOperator, upper] = operand as [string, number, string, number];
    if (lowerOperator !== '>' && lowerOperator !== '>=') {
      throw new InvalidEventPatternError(`${path}[0]`, 'a range must start with > or >=');
    }
    if (upperOperator !== '<' && upperOperator !== '<=') {
      throw new InvalidEventPatternError(`${path}[2]`, 'a range must end with < or <=');
    }
    if (lower >= upper)
      throw new InvalidEventPatternError(path, 'the lower bound must be below the upper bound');
  }
}

function validateCidr(operand: unknown, path: string): void {
  validateStringOperand(operand, path);
  const [network = '', bits, ...rest] = (operand as string).split('/');
  if (parseIPv4(network) === undefined || bits === undefined || rest.length > 0 || !/^\d{1,2}$/.test(bits)) {
    // AWS also takes IPv6; refuse loudly rather than silently never matching.
    throw new InvalidEventPatternError(path, 'must be an IPv4 CIDR block such as "10.0.0.0/24"');
  }
  if (Number(bits) > 32) throw new InvalidEventPatternError(path, 'prefix length must be 0-32');
}

// --------------------------------------------------------------------------------------------- utilities

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenArrays(values: readonly unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? flattenArrays(value) : [value]));
}

/** Operator objects are validated to have exactly one key. */
function onlyEntry(object: object): [string, unknown] {
  return Object.entries(object)[0] ?? ['', undefined];
}

function childPath(path: string, key: string): string {
  return /^[\w$-]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
