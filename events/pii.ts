/**
 * The personal-data check on pseudonymous ids (`userId`, `reviewerId`), and the same check applied by
 * the quarantine to everything it keeps. The rule, with its table of cases in both directions, is in
 * docs/contract.md ("Personal data in ids"); test/unit/pii.test.ts runs exactly that table.
 *
 * It is a net for raw ids sent by mistake, not a data-loss-prevention scanner: it looks for an e-mail
 * address anywhere, and for a value that is, as a whole, a phone number.
 */

export const PII_SUSPECTED = 'pii_suspected' as const;

// Producers (and attackers of the check) spell the same text many ways: full-width `＠` and digits,
// `%40`, `%2540`. Compatibility normalisation folds the look-alikes; decoding is repeated a few times
// for double encoding, and a malformed escape is left as it is.
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const MAX_DECODE_ROUNDS = 3;

const percentDecode = (text: string): string =>
  text.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });

/** The text the rule is applied to: NFKC-normalised and percent-decoded until stable. */
export const normalizeForPii = (value: string): string => {
  let text = value.normalize('NFKC');
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const decoded = percentDecode(text).normalize('NFKC');
    if (decoded === text) break;
    text = decoded;
  }
  return text;
};

// local@domain.tld anywhere: a top-level domain starts with a letter and has two characters or more
// (`xn--` names included), so `build@2024.11` or `team@prod` are not addresses. The domain is matched
// from each `@` within a bounded window, so that scanning a long quarantined body stays linear.
const LOCAL_PART_CHAR = /[^\s@]/;
const DOMAIN = /^[^\s@.]+(?:\.[^\s@.]+)*\.\p{L}[\p{L}\p{N}-]+/u;
const MAX_DOMAIN_LENGTH = 255;

const containsEmail = (text: string): boolean => {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (
      LOCAL_PART_CHAR.test(text.charAt(at - 1)) &&
      DOMAIN.test(text.slice(at + 1, at + 1 + MAX_DOMAIN_LENGTH))
    )
      return true;
  }
  return false;
};

// Phone punctuation: spaces, hyphens and dashes, dots, slashes, brackets.
const PUNCT = '[\\s\\-./()\\u2010-\\u2015\\u2212]';
const TEL_PREFIX = /^tel:\s*/i;
const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*\p{Nd}{1,6}$/iu;
const PHONE_SHAPE = new RegExp(`^\\+?${PUNCT}*(?:\\p{Nd}${PUNCT}*)+$`, 'u');
const DIGIT = /\p{Nd}/gu;
const GROUPED = new RegExp(`\\p{Nd}${PUNCT}+\\p{Nd}`, 'u');
// E.164 allows at most 15 digits; seven is the shortest subscriber number in common use.
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;
// Longer than any phone number with `tel:`, punctuation and an extension: not one, and not worth a regex.
const MAX_PHONE_LENGTH = 64;

/**
 * What a value looks like: an e-mail address; a `phone` number that announces itself (`tel:` or a
 * leading `+`); or `digit-groups`, a number in punctuated groups such as `(555) 123-4567`, which is
 * a phone number in an id but may be a date or a version elsewhere.
 */
export type PiiSignal = 'email' | 'phone' | 'digit-groups';

const phoneSignal = (text: string): PiiSignal | undefined => {
  let rest = text.trim();
  if (rest.length > MAX_PHONE_LENGTH) return undefined;
  const tel = TEL_PREFIX.test(rest);
  rest = rest.replace(TEL_PREFIX, '').replace(EXTENSION, '');
  if (!PHONE_SHAPE.test(rest)) return undefined;
  const digits = rest.match(DIGIT)?.length ?? 0;
  if (digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) return undefined;
  // A bare run of digits is an id (employee numbers, account numbers); a phone number announces
  // itself with `tel:`, a leading `+`, or punctuation between its digit groups.
  if (tel || rest.startsWith('+')) return 'phone';
  return GROUPED.test(rest) ? 'digit-groups' : undefined;
};

/**
 * What personal data a value looks like, if any (rule in docs/contract.md).
 *
 * @example
 * ```ts
 * piiSignal('tel:+15551234567'); // 'phone'
 * piiSignal('u_8f3a9b2c'); // undefined
 * ```
 */
export const piiSignal = (value: string): PiiSignal | undefined => {
  const text = normalizeForPii(value);
  return containsEmail(text) ? 'email' : phoneSignal(text);
};

/**
 * True when a pseudonymous id looks like an e-mail address or a phone number (rule in docs/contract.md).
 *
 * @example
 * ```ts
 * looksLikePii('john%40example.com'); // true
 * looksLikePii('+1-555-123-4567 ext 12'); // true
 * looksLikePii('12345678'); // false: a bare number is an id
 * ```
 */
export const looksLikePii = (value: string): boolean => piiSignal(value) !== undefined;
