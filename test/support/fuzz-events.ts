import { readFileSync } from 'node:fs';
import { BOUNDS, type BoundedField } from '../../events/bounds.ts';
import { DETAIL_TYPES } from '../../events/detail-types.ts';
import { RejectionCode, type RejectionCodeName } from '../../events/validate.ts';
import { pick, seededRandom } from '../../infra/local/demo/random.ts';
import { HOUR_MS } from '../../shared/time.ts';

/**
 * Generated and mutated events for the fuzz test: valid events of the three types, started from
 * events/samples/*.json, then 0–3 mutations each (dropped, wrong-typed, boundary, beyond-bound,
 * NaN-ish, huge, unicode, nested and unknown fields; near-miss detail types; bad instants; ids that
 * look like personal data; broken envelopes and JSON). Each mutation states what it expects, so the
 * generator is a second, independent opinion on which events the contract accepts.
 *
 * Every case carries a token `fz<n>x` in its ids, so whatever the quarantine keys an entry by (the
 * workflowId:eventId pair or the delivery's id) names the case it came from.
 */

/** What a case should become: counted, quarantined with a known code, any refusal, or not predicted. */
export type Expectation = 'valid' | 'invalid' | 'unsure' | RejectionCodeName;

export interface FuzzCase {
  readonly n: number;
  readonly messageId: string;
  readonly body: string;
  readonly mutations: readonly string[];
  readonly expect: Expectation;
}

const sample = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../events/samples/${type}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
const SAMPLES = Object.fromEntries(DETAIL_TYPES.map((type) => [type, sample(type)]));

type FieldKind = 'int' | 'number' | 'string' | 'enum' | 'id' | 'pseudonym' | 'instant' | 'literal';
const COMMON: Record<string, FieldKind> = {
  schemaVersion: 'literal',
  eventId: 'id',
  workflowId: 'id',
  occurredAt: 'instant',
  runId: 'string',
  userId: 'pseudonym',
  variant: 'id',
};
const FIELDS: Record<string, Record<string, FieldKind>> = {
  'ai.workflow.usage': {
    ...COMMON,
    model: 'string',
    provider: 'string',
    inputTokens: 'int',
    outputTokens: 'int',
    cachedInputTokens: 'int',
    costUsd: 'number',
    latencyMs: 'int',
  },
  'ai.workflow.outcome': {
    ...COMMON,
    status: 'enum',
    valueUsd: 'number',
    minutesSaved: 'number',
    qualityScore: 'number',
    durationMs: 'int',
  },
  'ai.workflow.override': {
    ...COMMON,
    decision: 'enum',
    reviewerId: 'pseudonym',
    reasonCode: 'id',
    reviewMs: 'int',
  },
};
const REQUIRED = new Set([
  'schemaVersion',
  'eventId',
  'workflowId',
  'occurredAt',
  'model',
  'inputTokens',
  'outputTokens',
  'latencyMs',
  'status',
  'decision',
]);
// Limits of the free-text fields (events/schemas.ts): longer is invalid, shorter unicode is fine.
const FREE_TEXT_MAX: Record<string, number> = {
  runId: 128,
  model: 128,
  provider: 64,
  userId: 128,
  reviewerId: 128,
};

const UNICODE = ['\ud800', 'é', '😀', 'Ω≈ç√', '\u200b', 'ｆｕｌｌ', 'a\u0000b', '\u202eevil', '中文'];
const PII = [
  'jane.doe@example.com',
  'john＠example.com',
  'john%40example.com',
  'tel:+15551234567',
  '+1-555-123-4567 ext 12',
  '５５５-１２３-４５６７',
];
const NOT_PII = ['12345678', 'u_8f3a9b2c', 'build@2024.11', 'team@prod'];
const NEAR_MISS_TYPES = [
  'ai.workflow.Usage',
  'AI.WORKFLOW.OUTCOME',
  'ai.workflow.outcomes',
  'ai.workflow.',
  'ai.workflow.override ',
  'ai.workflow.usage\u200b',
  'ai.workflow.unknown',
  '',
];
const NAN_ISH = ['NaN', 'Infinity', '-0', '1e3', '0x10', '', ' 1'];
const WRONG_FOR_NUMBER: unknown[] = ['12', true, null, [], { value: 1 }];
const WRONG_FOR_STRING: unknown[] = [12, true, null, [], { value: 'x' }];

interface Draft {
  detailType: unknown;
  detail: Record<string, unknown>;
  envelope: Record<string, unknown>;
  detailTypeMissing?: boolean;
  /** Text appended inside the detail object: a duplicated key, which JSON.parse resolves to the last. */
  duplicateKeys: string[];
  rawBody?: string;
}

type Outcome = { level: number; code: Expectation };
const VALID: Outcome = { level: 9, code: 'valid' };
// Which check sees a problem first: JSON, then the envelope, the detail type, the detail's fields, time.
const json = (code: Expectation = RejectionCode.invalidJson): Outcome => ({ level: 1, code });
const envelope = (): Outcome => ({ level: 2, code: RejectionCode.invalidEnvelope });
const detailType = (code: Expectation = RejectionCode.unknownDetailType): Outcome => ({ level: 3, code });
const field = (code: Expectation): Outcome => ({ level: 4, code });
const time = (code: Expectation): Outcome => ({ level: 5, code });

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
};

const isBounded = (name: string): name is BoundedField => Object.hasOwn(BOUNDS, name);

/** A random value within the field's bounds. */
const validNumber = (random: () => number, name: string, kind: FieldKind): number => {
  const max = isBounded(name) ? BOUNDS[name].max : 1000;
  const roll = random();
  if (roll < 0.05) return max;
  if (roll < 0.1) return 0;
  const scale = roll < 0.6 ? Math.min(max, 1000) : max;
  return kind === 'int'
    ? Math.floor(random() * scale)
    : Number((random() * scale).toFixed(Math.floor(random() * 12)));
};

type Mutation = (
  d: Draft,
  random: () => number,
  n: number,
) => { name: string; field: string; outcome: Outcome } | undefined;

const fieldsOf = (d: Draft) => FIELDS[String(d.detailType)] ?? COMMON;
const pickField = (d: Draft, random: () => number, kinds: readonly FieldKind[]) => {
  const names = Object.entries(fieldsOf(d)).filter(([, kind]) => kinds.includes(kind));
  return names.length ? pick(random, names) : undefined;
};
const invalidFieldCode = (name: string) =>
  name === 'schemaVersion' ? RejectionCode.unsupportedSchemaVersion : RejectionCode.invalidField;

const MUTATIONS: Mutation[] = [
  (d, random) => {
    const [name] =
      pickField(d, random, ['int', 'number', 'string', 'enum', 'id', 'pseudonym', 'instant', 'literal']) ??
      [];
    if (!name) return undefined;
    delete d.detail[name];
    return {
      name: `drop ${name}`,
      field: name,
      outcome: REQUIRED.has(name) ? field(invalidFieldCode(name)) : VALID,
    };
  },
  (d, random) => {
    const [name, kind] =
      pickField(d, random, ['int', 'number', 'string', 'enum', 'id', 'pseudonym', 'instant', 'literal']) ??
      [];
    if (!name || !kind) return undefined;
    const numeric = kind === 'int' || kind === 'number' || kind === 'literal';
    d.detail[name] = pick(random, numeric ? WRONG_FOR_NUMBER : WRONG_FOR_STRING);
    return {
      name: `wrong type ${name}=${JSON.stringify(d.detail[name])}`,
      field: name,
      outcome: field(invalidFieldCode(name)),
    };
  },
  (d, random) => {
    const [name, kind] = pickField(d, random, ['int', 'number']) ?? [];
    if (!name || !isBounded(name)) return undefined;
    const max = BOUNDS[name].max;
    const cases: Array<[number, Outcome]> = [
      [max, VALID],
      [0, VALID],
      [kind === 'int' ? max + 1 : max * (1 + Number.EPSILON * 4), field(RejectionCode.outOfRange)],
      [1e306, field(RejectionCode.outOfRange)],
      [Number.MAX_SAFE_INTEGER, field(RejectionCode.outOfRange)],
      [-1, field(RejectionCode.invalidField)],
      [-1e-9, field(RejectionCode.invalidField)],
      [0.5, kind === 'int' ? field(RejectionCode.invalidField) : VALID],
      [5e-10, kind === 'int' ? field(RejectionCode.invalidField) : VALID],
      [
        1.005,
        kind === 'int' || max < 1.005
          ? field(kind === 'int' ? RejectionCode.invalidField : RejectionCode.outOfRange)
          : VALID,
      ],
    ];
    const [value, outcome] = pick(random, cases);
    d.detail[name] = value;
    return { name: `boundary ${name}=${value}`, field: name, outcome };
  },
  (d, random) => {
    const [name] = pickField(d, random, ['int', 'number']) ?? [];
    if (!name) return undefined;
    d.detail[name] = pick(random, NAN_ISH);
    return {
      name: `nan-ish ${name}=${JSON.stringify(d.detail[name])}`,
      field: name,
      outcome: field(RejectionCode.invalidField),
    };
  },
  (d, random, n) => {
    const [name, kind] = pickField(d, random, ['string', 'id', 'pseudonym', 'enum']) ?? [];
    if (!name || !kind) return undefined;
    const size = pick(random, [129, 1000, 50_000]);
    d.detail[name] = `fz${n}x${'ab'.repeat(size)}`;
    return { name: `huge ${name} (${size * 2})`, field: name, outcome: field(RejectionCode.invalidField) };
  },
  (d, random, n) => {
    const [name, kind] = pickField(d, random, ['string', 'id', 'pseudonym', 'enum']) ?? [];
    if (!name || !kind) return undefined;
    const text = pick(random, UNICODE);
    d.detail[name] = kind === 'id' ? `fz${n}x${text}` : text;
    const free = FREE_TEXT_MAX[name] !== undefined;
    // NUL is a character like any other to the schema; ids and enums have a charset, free text has none.
    return {
      name: `unicode ${name}=${JSON.stringify(text)}`,
      field: name,
      outcome: free ? VALID : field(RejectionCode.invalidField),
    };
  },
  (d, random) => {
    const [name] =
      pickField(d, random, ['int', 'number', 'string', 'enum', 'id', 'pseudonym', 'instant']) ?? [];
    if (!name) return undefined;
    d.detail[name] = nested(1 + Math.floor(random() * 50));
    return { name: `nested object in ${name}`, field: name, outcome: field(RejectionCode.invalidField) };
  },
  (d, random) => {
    d.detail[pick(random, ['extra', 'constructor', '__proto__', 'Status', 'valueUSD'])] = pick(random, [
      1,
      'x',
      nested(1 + Math.floor(random() * 2000)),
      PII[0],
      null,
    ]);
    return { name: 'unknown field', field: `unknown-${random()}`, outcome: VALID };
  },
  (d, random) => {
    const choice = random();
    if (choice < 0.7) d.detailType = pick(random, NEAR_MISS_TYPES);
    else if (choice < 0.85) d.detailType = pick(random, [42, null, ['ai.workflow.usage'], { type: 'x' }]);
    else d.detailTypeMissing = true;
    const string = typeof d.detailType === 'string' && !d.detailTypeMissing;
    return {
      name: `detail-type ${JSON.stringify(d.detailType)}`,
      field: 'detail-type',
      outcome: string ? detailType() : envelope(),
    };
  },
  (d, random) => {
    const now = Date.parse(String(d.envelope.time));
    const cases: Array<[unknown, Outcome]> = [
      [new Date(now + HOUR_MS).toISOString(), time(RejectionCode.inFuture)],
      [new Date(now + 4 * 60_000).toISOString(), VALID],
      [new Date(now - 40 * 24 * HOUR_MS).toISOString(), time(RejectionCode.tooLate)],
      ['2026-02-30T00:00:00Z', field(RejectionCode.invalidField)],
      ['2026-11-23T10:15:00+01:00', field(RejectionCode.invalidField)],
      ['2026-11-23T10:15:00', field(RejectionCode.invalidField)],
      ['2026-11-23', field(RejectionCode.invalidField)],
      ['2026-11-23T23:59:60Z', field(RejectionCode.invalidField)],
      [` ${new Date(now - HOUR_MS).toISOString()}`, field(RejectionCode.invalidField)],
      [now, field(RejectionCode.invalidField)],
      [new Date(now - HOUR_MS).toISOString().replace('Z', '000000Z'), VALID],
    ];
    const [value, outcome] = pick(random, cases);
    d.detail.occurredAt = value;
    return { name: `occurredAt ${JSON.stringify(value)}`, field: 'occurredAt', outcome };
  },
  (d, random) => {
    const [name] = pickField(d, random, ['pseudonym']) ?? [];
    if (!name) return undefined;
    const pii = random() < 0.6;
    d.detail[name] = pick(random, pii ? PII : NOT_PII);
    return {
      name: `${name}=${JSON.stringify(d.detail[name])}`,
      field: name,
      outcome: pii ? field(RejectionCode.piiSuspected) : VALID,
    };
  },
  (d, random) => {
    const [value, outcome] = pick(random, [
      [2, field(RejectionCode.unsupportedSchemaVersion)],
      ['1', field(RejectionCode.unsupportedSchemaVersion)],
      [0, field(RejectionCode.unsupportedSchemaVersion)],
      [1.0, VALID],
    ] as Array<[unknown, Outcome]>);
    d.detail.schemaVersion = value;
    return { name: `schemaVersion ${JSON.stringify(value)}`, field: 'schemaVersion', outcome };
  },
  (d, random) => {
    const [name, kind] = pickField(d, random, ['int', 'number']) ?? [];
    if (!name || !kind) return undefined;
    // The last of two equal keys wins in JSON.parse: here a valid value.
    const value = validNumber(random, name, kind);
    d.duplicateKeys.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
    delete d.detail[name];
    d.detail[name] = pick(random, WRONG_FOR_NUMBER);
    return { name: `duplicate key ${name}, last ${value}`, field: name, outcome: VALID };
  },
];

/** Breaks the body, the envelope or the detail as a whole: applied last, since it masks the rest. */
const breakEnvelope = (d: Draft, random: () => number): { name: string; outcome: Outcome } => {
  const choice = pick(random, ['truncate', 'NaN', 'time', 'id', 'detail']);
  if (choice === 'truncate' || choice === 'NaN') {
    d.rawBody = choice;
    return { name: `body ${choice}`, outcome: json() };
  }
  if (choice === 'time') d.envelope.time = pick(random, ['yesterday', 1e13, null]);
  if (choice === 'id') delete d.envelope.id;
  if (choice === 'detail') {
    d.detail = pick(random, [null, 'x', [], 7] as unknown[]) as Record<string, unknown>;
    return { name: 'detail not an object', outcome: field(RejectionCode.invalidField) };
  }
  return { name: `envelope ${choice}`, outcome: envelope() };
};

const combine = (outcomes: readonly Outcome[]): Expectation => {
  const first = Math.min(...outcomes.map((o) => o.level));
  const codes = new Set(outcomes.filter((o) => o.level === first).map((o) => o.code));
  if (codes.size === 1) return [...codes][0] as Expectation;
  return first === VALID.level ? 'valid' : 'invalid';
};

/**
 * The `n`-th fuzz case of a seed: a valid event of a random type for one of `workflows`, mutated
 * zero to three times, in the SQS body the ingestion queue carries.
 *
 * @example
 * ```ts
 * const cases = Array.from({ length: 100 }, (_, n) => fuzzCase('7', n, ['fz-0-a'], Date.now()));
 * ```
 */
export const fuzzCase = (seed: string, n: number, workflows: readonly string[], nowMs: number): FuzzCase => {
  const random = seededRandom('fuzz', seed, n);
  const type = pick(random, DETAIL_TYPES);
  const detail: Record<string, unknown> = { ...SAMPLES[type] };
  const fields = FIELDS[type] ?? {};
  for (const [name, kind] of Object.entries(fields)) {
    if ((kind === 'int' || kind === 'number') && name in detail)
      detail[name] = validNumber(random, name, kind);
    if ((kind === 'int' || kind === 'number') && !REQUIRED.has(name) && random() < 0.3) delete detail[name];
  }
  detail.eventId = `fz${n}x.${Math.floor(random() * 1e6)}`;
  detail.workflowId = pick(random, workflows);
  detail.occurredAt = new Date(nowMs - Math.floor(random() * 3 * HOUR_MS)).toISOString();
  if ('userId' in detail || random() < 0.5) detail.userId = `user-${Math.floor(random() * 40)}`;
  if (random() < 0.3) delete detail.userId;
  if (random() < 0.5) detail.variant = pick(random, ['ai', 'human', 'prompt-v2', 'default']);
  else delete detail.variant;
  if (type === 'ai.workflow.override')
    detail.reasonCode = pick(random, ['amount_mismatch', 'tone', 'wrong-vendor', 'other.1']);
  if (type === 'ai.workflow.usage' && random() < 0.3)
    detail.model = pick(random, ['gpt-4o-mini', 'fuzz-model', 'claude-x']);
  const draft: Draft = {
    detailType: type,
    detail,
    duplicateKeys: [],
    envelope: {
      version: '0',
      id: `env-fz${n}x`,
      source: 'test.fuzz',
      account: '000000000000',
      time: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'us-east-1',
      resources: [],
    },
  };
  const applied: string[] = [];
  const fieldsHit = new Set<string>();
  let masked = false;
  const outcomes: Outcome[] = [VALID];
  const count = random() < 0.35 ? 0 : 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const result = pick(random, MUTATIONS)(draft, random, n);
    if (!result) continue;
    // Mutations of one field can undo or mask each other: then the generator does not predict.
    masked ||= fieldsHit.has(result.field);
    fieldsHit.add(result.field);
    applied.push(result.name);
    outcomes.push(result.outcome);
  }
  if (random() < 0.05) {
    const result = breakEnvelope(draft, random);
    applied.push(result.name);
    outcomes.push(result.outcome);
  }
  const withType = draft.detailTypeMissing
    ? draft.envelope
    : { ...draft.envelope, 'detail-type': draft.detailType };
  let body = JSON.stringify({ ...withType, detail: draft.detail });
  if (draft.duplicateKeys.length > 0 && body.endsWith('}}'))
    body = `${body.slice(0, -2)},${draft.duplicateKeys.join(',')}}}`;
  if (draft.rawBody === 'truncate') body = body.slice(0, Math.floor(body.length / 2));
  if (draft.rawBody === 'NaN') body = `${body.slice(0, -1)},"nan":NaN}`;
  return {
    n,
    messageId: `m-fz${n}x`,
    body,
    mutations: applied,
    expect: masked ? 'unsure' : combine(outcomes),
  };
};
