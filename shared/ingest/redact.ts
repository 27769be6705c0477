import { normalizeForPii, type PiiSignal, piiSignal } from '../../events/pii.ts';

/**
 * Removes personal data from what the quarantine keeps of a refused event (rules in docs/contract.md,
 * "What the quarantine keeps"). The body is scanned as JSON text, token by token, rather than parsed
 * and re-serialised: everything that is not redacted stays byte for byte as sent (big integers,
 * spacing), a body that is not JSON is redacted the same way, and a body nested 20,000 levels deep
 * costs an array of frames, not a stack overflow.
 */
export const RedactionMarker = {
  pii: '[redacted: pii_suspected]',
  id: '[redacted: pseudonymous id]',
} as const;

/** Fields whose values are never kept, whatever they hold. */
export const ID_FIELDS: ReadonlySet<string> = new Set(['userId', 'reviewerId']);

// A string (terminated, or cut off by the end of the text), punctuation, whitespace, or a run of
// anything else (numbers, literals, garbage). The string pattern is the unrolled-loop form: linear.
const TOKEN = /"[^"\\]*(?:\\[\s\S][^"\\]*)*(?:"|$)|[{}[\],:]|\s+|[^\s{}[\],:"]+/gy;
const KEY_FOLLOWS = /\s*:/y;

// Outside the id fields, only signals that rarely misfire are redacted: a punctuated run of digits
// there is more often a date or a version than a phone number.
const REDACTED_ELSEWHERE: ReadonlySet<PiiSignal> = new Set(['email', 'phone']);

interface Frame {
  readonly kind: 'object' | 'array';
  /** Everything inside is redacted (the value of an id or suspected field). */
  readonly sensitive: boolean;
  key?: string;
}

const decodeString = (token: string): string => {
  // A string cut off by the end of a broken body is read as if it were closed there.
  for (const candidate of [token, `${token}"`]) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'string') return value;
    } catch {
      // not this reading
    }
  }
  return token.slice(1);
};

const quoted = (marker: string) => JSON.stringify(marker);

/**
 * The body with every id value, every value of a `suspectFields` field, and every string holding an
 * e-mail address or an announced phone number replaced by a marker.
 *
 * @example
 * ```ts
 * redactBody('{"userId":"jane@example.com","status":"done"}', new Set(['userId']));
 * // '{"userId":"[redacted: pii_suspected]","status":"done"}'
 * ```
 */
export const redactBody = (body: string, suspectFields: ReadonlySet<string> = new Set()): string => {
  const out: string[] = [];
  const stack: Frame[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(body); match !== null && match[0] !== ''; match = TOKEN.exec(body)) {
    const token = match[0];
    const frame = stack.at(-1);
    const keyed = frame?.kind === 'object' ? frame.key : undefined;
    const inSensitive =
      (frame?.sensitive ?? false) ||
      (keyed !== undefined && (ID_FIELDS.has(keyed) || suspectFields.has(keyed)));
    const suspected = keyed !== undefined && suspectFields.has(keyed);
    const first = token.charAt(0);
    if (first === '{' || first === '[') {
      stack.push({ kind: first === '{' ? 'object' : 'array', sensitive: inSensitive });
      out.push(token);
    } else if (first === '}' || first === ']') {
      stack.pop();
      out.push(token);
    } else if (first === ',') {
      if (frame?.kind === 'object') frame.key = undefined;
      out.push(token);
    } else if (first === ':' || /^\s/.test(token)) {
      out.push(token);
    } else {
      const isString = first === '"';
      const text = isString ? decodeString(token) : token;
      KEY_FOLLOWS.lastIndex = TOKEN.lastIndex;
      const isKey = isString && frame?.kind === 'object' && frame.key === undefined && KEY_FOLLOWS.test(body);
      const signal = piiSignal(text);
      if (isKey) {
        frame.key = text;
        out.push(signal && REDACTED_ELSEWHERE.has(signal) ? quoted(RedactionMarker.pii) : token);
      } else if (inSensitive) {
        out.push(quoted(suspected || signal ? RedactionMarker.pii : RedactionMarker.id));
      } else {
        out.push(signal && REDACTED_ELSEWHERE.has(signal) ? quoted(RedactionMarker.pii) : token);
      }
    }
  }
  return out.join('');
};

// Anything around an at-sign, once look-alikes are folded: stricter than the e-mail rule, because a
// message may quote a fragment of the body cut anywhere (`"jane.doe@e"... is not valid JSON`). A match
// may only start where a word starts (the lookbehind): otherwise a long word without `@` is retried
// from each of its characters, quadratic time (a 100 KB eventId took 13 s to quarantine).
const AT_WORD = /(?<![^\s"'`])[^\s"'`]*@[^\s"'`]*/g;

/**
 * A short free text (a rejection message, a source, a detail type) without personal data: any word
 * holding an `@`, and any quoted e-mail address or announced phone number, becomes a marker.
 *
 * @example
 * ```ts
 * redactText('body is not JSON: "jane.doe@e"... is not valid JSON'); // 'body is not JSON: "[redacted: pii_suspected]"... is not valid JSON'
 * ```
 */
export const redactText = (text: string): string => {
  const normalized = normalizeForPii(text);
  const redacted = redactBody(normalized.replace(AT_WORD, RedactionMarker.pii));
  // Nothing found: the text as it came, not its normalised form.
  return redacted === normalized ? text : redacted;
};
