import { describe, expect, it } from 'vitest';
import { INGEST_PATTERN } from '../../events/patterns.ts';
import {
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '../../infra/local/event-pattern.ts';

const usageEvent = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'ai.workflow.usage',
  source: 'acme.bot',
  account: '123456789012',
  time: '2026-11-23T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    workflowId: 'wf-1',
    model: 'Claude-Sonnet',
    tokens: 300,
    costUsd: 0.42,
    cached: false,
    reviewer: null,
    tags: ['billing', 'beta'],
    latenciesMs: [120, 900],
    sourceIp: '10.0.0.33',
    file: 'report*final.pdf',
    usage: { input: 100, output: 200 },
    steps: [
      { name: 'draft', ok: true },
      { name: 'review', ok: false },
    ],
  },
};

function eventWith(overrides: Record<string, unknown>, detail: Record<string, unknown> = {}) {
  return { ...usageEvent, ...overrides, detail: { ...usageEvent.detail, ...detail } };
}

const workflowDetailTypes: EventPattern = {
  'detail-type': ['ai.workflow.usage', 'ai.workflow.outcome', 'ai.workflow.override'],
};
const notFromAws: EventPattern = { source: [{ 'anything-but': { prefix: 'aws.' } }] };

interface MatchCase {
  name: string;
  pattern: EventPattern;
  event: unknown;
  matches: boolean;
  /** PutRule would refuse the pattern; the matcher still has to behave. */
  rejectedByAws?: true;
}

const matchCases: MatchCase[] = [
  // structure, AND and OR
  { name: 'an empty pattern matches every event', pattern: {}, event: usageEvent, matches: true },
  { name: 'an exact source matches', pattern: { source: ['acme.bot'] }, event: usageEvent, matches: true },
  {
    name: 'a different source does not match',
    pattern: { source: ['acme.other'] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'detail-type matches any value in the list',
    pattern: workflowDetailTypes,
    event: usageEvent,
    matches: true,
  },
  {
    name: 'detail-type list also matches the outcome event',
    pattern: workflowDetailTypes,
    event: eventWith({ 'detail-type': 'ai.workflow.outcome' }),
    matches: true,
  },
  {
    name: 'detail-type outside the list does not match',
    pattern: workflowDetailTypes,
    event: eventWith({ 'detail-type': 'ai.workflow.debug' }),
    matches: false,
  },
  {
    name: 'every key must match (AND)',
    pattern: { source: ['acme.bot'], 'detail-type': ['ai.workflow.outcome'] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'nested detail fields match',
    pattern: { detail: { workflowId: ['wf-1'] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'exact strings are case-sensitive',
    pattern: { detail: { model: ['claude-sonnet'] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'numbers compare numerically (3.0e2 equals 300)',
    pattern: { detail: { tokens: [3.0e2] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'a numeric string does not equal a number',
    pattern: { detail: { tokens: ['300'] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'booleans match exactly',
    pattern: { detail: { cached: [false] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'null matches a JSON null',
    pattern: { detail: { reviewer: [null] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'null does not match a missing field',
    pattern: { detail: { approver: [null] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'an empty string does not match null',
    pattern: { detail: { reviewer: [''] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'a leaf matcher does not match an object value',
    pattern: { detail: ['wf-1'] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'an empty matcher list never matches',
    pattern: { source: [] },
    event: usageEvent,
    matches: false,
    rejectedByAws: true,
  },
  {
    name: 'a non-object event matches only the empty pattern',
    pattern: { source: ['acme.bot'] },
    event: null,
    matches: false,
  },

  // arrays in the event
  {
    name: 'an event array matches when any element matches',
    pattern: { detail: { tags: ['beta'] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'an event array without a matching element does not match',
    pattern: { detail: { tags: ['alpha'] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'an empty event array does not match null',
    pattern: { resources: [null] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'a nested pattern matches objects inside an event array',
    pattern: { detail: { steps: { name: ['review'] } } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'fields of one sub-pattern must come from the same array element',
    pattern: { detail: { steps: { name: ['draft'], ok: [false] } } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'fields from the same array element match together',
    pattern: { detail: { steps: { name: ['review'], ok: [false] } } },
    event: usageEvent,
    matches: true,
  },

  // prefix / suffix / equals-ignore-case
  {
    name: 'prefix matches the start of a string',
    pattern: { source: [{ prefix: 'acme.' }] },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'prefix does not match another start',
    pattern: { source: [{ prefix: 'aws.' }] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'prefix never matches a number',
    pattern: { detail: { tokens: [{ prefix: '3' }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'prefix with equals-ignore-case ignores case',
    pattern: { detail: { model: [{ prefix: { 'equals-ignore-case': 'CLAUDE-' } }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'suffix matches the end of a string',
    pattern: { 'detail-type': [{ suffix: '.usage' }] },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'suffix does not match another end',
    pattern: { 'detail-type': [{ suffix: '.outcome' }] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'suffix with equals-ignore-case ignores case',
    pattern: { detail: { model: [{ suffix: { 'equals-ignore-case': 'SONNET' } }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'equals-ignore-case matches the whole string in any case',
    pattern: { detail: { model: [{ 'equals-ignore-case': 'CLAUDE-SONNET' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'equals-ignore-case does not match a substring',
    pattern: { detail: { model: [{ 'equals-ignore-case': 'claude' }] } },
    event: usageEvent,
    matches: false,
  },

  // anything-but
  {
    name: 'anything-but prefix "aws." lets a custom source through',
    pattern: notFromAws,
    event: usageEvent,
    matches: true,
  },
  {
    name: 'anything-but prefix "aws." blocks an AWS source',
    pattern: notFromAws,
    event: eventWith({ source: 'aws.events' }),
    matches: false,
  },
  {
    name: 'anything-but a string matches a different string',
    pattern: { detail: { model: [{ 'anything-but': 'gpt' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'anything-but a list excludes every listed string',
    pattern: { detail: { model: [{ 'anything-but': ['gpt', 'Claude-Sonnet'] }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'anything-but a number list excludes numerically',
    pattern: { detail: { tokens: [{ 'anything-but': [100, 3.0e2] }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'anything-but does not match a missing field',
    pattern: { detail: { approver: [{ 'anything-but': 'x' }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'anything-but matches a null value, which is present',
    pattern: { detail: { reviewer: [{ 'anything-but': 'x' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'anything-but on an event array matches when some element is not excluded',
    pattern: { detail: { tags: [{ 'anything-but': 'billing' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'anything-but suffix excludes a matching suffix',
    pattern: { detail: { file: [{ 'anything-but': { suffix: '.pdf' } }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case excludes in any case',
    pattern: { detail: { model: [{ 'anything-but': { 'equals-ignore-case': ['gpt', 'claude-sonnet'] } }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'anything-but wildcard matches a string outside the wildcard',
    pattern: { detail: { file: [{ 'anything-but': { wildcard: '*.csv' } }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'anything-but prefix matches a number, which cannot have the prefix',
    pattern: { detail: { tokens: [{ 'anything-but': { prefix: '3' } }] } },
    event: usageEvent,
    matches: true,
  },

  // numeric
  {
    name: 'numeric range includes an inclusive upper bound',
    pattern: { detail: { tokens: [{ numeric: ['>', 0, '<=', 300] }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'numeric range excludes an exclusive upper bound',
    pattern: { detail: { tokens: [{ numeric: ['>', 0, '<', 300] }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'numeric "=" matches an equal decimal',
    pattern: { detail: { costUsd: [{ numeric: ['=', 0.42] }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'numeric ">=" matches its boundary',
    pattern: { detail: { tokens: [{ numeric: ['>=', 300] }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'numeric "<" rejects a larger value',
    pattern: { detail: { tokens: [{ numeric: ['<', 10] }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'numeric does not match a numeric string',
    pattern: { detail: { tokens: [{ numeric: ['=', 300] }] } },
    event: eventWith({}, { tokens: '300' }),
    matches: false,
  },
  {
    name: 'numeric matches when any array element is in range',
    pattern: { detail: { latenciesMs: [{ numeric: ['>', 500] }] } },
    event: usageEvent,
    matches: true,
  },

  // exists
  {
    name: 'exists true matches a present field',
    pattern: { detail: { workflowId: [{ exists: true }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'exists true does not match a missing field',
    pattern: { detail: { approver: [{ exists: true }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'exists false matches a missing field',
    pattern: { detail: { approver: [{ exists: false }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'exists false does not match a present field',
    pattern: { detail: { workflowId: [{ exists: false }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'exists false matches when the parent object is missing too',
    pattern: { detail: { review: { verdict: [{ exists: false }] } } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'exists true counts a null value as present',
    pattern: { detail: { reviewer: [{ exists: true }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'exists true does not match an empty array',
    pattern: { resources: [{ exists: true }] },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'exists true does not match an object, which is not a leaf',
    pattern: { detail: { usage: [{ exists: true }] } },
    event: usageEvent,
    matches: false,
  },

  // wildcard
  {
    name: 'wildcard star matches the rest of a string',
    pattern: { detail: { model: [{ wildcard: 'Claude-*' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'wildcard star matches zero characters',
    pattern: { detail: { model: [{ wildcard: 'Claude-Sonnet*' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'wildcard does not match a different literal part',
    pattern: { detail: { model: [{ wildcard: '*-Opus' }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'wildcard escaped star matches a literal star',
    pattern: { detail: { file: [{ wildcard: 'report\\*final.pdf' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'wildcard escaped star does not act as a wildcard',
    pattern: { detail: { file: [{ wildcard: 'report\\*final.pdf' }] } },
    event: eventWith({}, { file: 'report-final.pdf' }),
    matches: false,
  },
  {
    name: 'wildcard never matches a number',
    pattern: { detail: { tokens: [{ wildcard: '*' }] } },
    event: usageEvent,
    matches: false,
  },

  // cidr
  {
    name: 'cidr matches an address inside the block',
    pattern: { detail: { sourceIp: [{ cidr: '10.0.0.0/24' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'cidr does not match an address outside the block',
    pattern: { detail: { sourceIp: [{ cidr: '10.0.1.0/24' }] } },
    event: usageEvent,
    matches: false,
  },
  {
    name: 'cidr /0 matches any IPv4 address',
    pattern: { detail: { sourceIp: [{ cidr: '0.0.0.0/0' }] } },
    event: usageEvent,
    matches: true,
  },
  {
    name: 'cidr does not match a string that is not an IPv4 address',
    pattern: { detail: { sourceIp: [{ cidr: '10.0.0.0/8' }] } },
    event: eventWith({}, { sourceIp: '10.0.0.999' }),
    matches: false,
  },

  // $or
  {
    name: '$or matches when its second alternative matches',
    pattern: { $or: [{ source: ['acme.other'] }, { 'detail-type': ['ai.workflow.usage'] }] },
    event: usageEvent,
    matches: true,
  },
  {
    name: '$or does not match when no alternative matches',
    pattern: { $or: [{ source: ['acme.other'] }, { 'detail-type': ['ai.workflow.outcome'] }] },
    event: usageEvent,
    matches: false,
  },
  {
    name: '$or is ANDed with its sibling keys',
    pattern: {
      source: ['acme.other'],
      $or: [{ 'detail-type': ['ai.workflow.usage'] }, { region: ['us-east-1'] }],
    },
    event: usageEvent,
    matches: false,
  },
  {
    name: '$or nested inside detail matches on one alternative',
    pattern: { detail: { $or: [{ model: ['gpt'] }, { tokens: [{ numeric: ['>', 100] }] }] } },
    event: usageEvent,
    matches: true,
  },
];

describe('matchesEventPattern', () => {
  it.each(matchCases)('$name', ({ pattern, event, matches }) => {
    expect(matchesEventPattern(pattern, event)).toBe(matches);
  });

  it('routes only the workflow events of a CDK-style rule', () => {
    // Prepare
    const rule: EventPattern = { ...workflowDetailTypes, ...notFromAws };
    const events = [
      usageEvent,
      eventWith({ 'detail-type': 'ai.workflow.override' }),
      eventWith({ source: 'aws.events' }),
      eventWith({ 'detail-type': 'Scheduled Event' }),
    ];

    // Act
    const routed = events.filter((event) => matchesEventPattern(rule, event));

    // Assess
    expect(routed.map((event) => event['detail-type'])).toEqual([
      'ai.workflow.usage',
      'ai.workflow.override',
    ]);
  });
});

interface InvalidCase {
  name: string;
  pattern: unknown;
  path: string;
}

const invalidCases: InvalidCase[] = [
  { name: 'rejects null as a pattern', pattern: null, path: '$' },
  { name: 'rejects an array as a pattern', pattern: [{ source: ['x'] }], path: '$' },
  { name: 'rejects a leaf that is a bare string', pattern: { source: 'acme.bot' }, path: '$.source' },
  {
    name: 'rejects a nested leaf that is a bare number',
    pattern: { detail: { tokens: 5 } },
    path: '$.detail.tokens',
  },
  { name: 'rejects an empty matcher list', pattern: { source: [] }, path: '$.source' },
  { name: 'rejects an unknown operator', pattern: { detail: { x: [{ foo: 1 }] } }, path: '$.detail.x[0]' },
  {
    name: 'rejects an operator object with two keys',
    pattern: { source: [{ prefix: 'a', suffix: 'b' }] },
    path: '$.source[0]',
  },
  {
    name: 'rejects a nested pattern inside a matcher list',
    pattern: { detail: [{ state: ['x'] }] },
    path: '$.detail[0]',
  },
  { name: 'rejects an array as a matcher', pattern: { source: [['x']] }, path: '$.source[0]' },
  { name: 'rejects a non-string prefix', pattern: { source: [{ prefix: 1 }] }, path: '$.source[0].prefix' },
  {
    name: 'rejects an unknown key nested in prefix',
    pattern: { source: [{ prefix: { wildcard: 'a*' } }] },
    path: '$.source[0].prefix',
  },
  {
    name: 'rejects a numeric operator that does not exist',
    pattern: { d: [{ numeric: ['!=', 0] }] },
    path: '$.d[0].numeric[0]',
  },
  {
    name: 'rejects a non-number numeric operand',
    pattern: { d: [{ numeric: ['>', '5'] }] },
    path: '$.d[0].numeric[1]',
  },
  {
    name: 'rejects a numeric matcher with a missing operand',
    pattern: { d: [{ numeric: ['>'] }] },
    path: '$.d[0].numeric',
  },
  {
    name: 'rejects a numeric range written upper bound first',
    pattern: { d: [{ numeric: ['<', 5, '>', 0] }] },
    path: '$.d[0].numeric[0]',
  },
  {
    name: 'rejects an empty numeric range',
    pattern: { d: [{ numeric: ['>', 5, '<', 5] }] },
    path: '$.d[0].numeric',
  },
  { name: 'rejects a non-boolean exists', pattern: { d: [{ exists: 'yes' }] }, path: '$.d[0].exists' },
  { name: 'rejects consecutive wildcards', pattern: { d: [{ wildcard: 'a**b' }] }, path: '$.d[0].wildcard' },
  {
    name: 'rejects a wildcard escaping an ordinary character',
    pattern: { d: [{ wildcard: 'a\\b' }] },
    path: '$.d[0].wildcard',
  },
  { name: 'rejects a malformed CIDR block', pattern: { d: [{ cidr: '10.0.0/24' }] }, path: '$.d[0].cidr' },
  {
    name: 'rejects an anything-but list mixing strings and numbers',
    pattern: { d: [{ 'anything-but': ['a', 1] }] },
    path: '$.d[0].anything-but',
  },
  {
    name: 'rejects an anything-but list containing null',
    pattern: { d: [{ 'anything-but': ['a', null] }] },
    path: '$.d[0].anything-but',
  },
  {
    name: 'rejects anything-but with an unsupported nested operator',
    pattern: { d: [{ 'anything-but': { numeric: ['>', 1] } }] },
    path: '$.d[0].anything-but',
  },
  { name: 'rejects $or that is not an array', pattern: { $or: { source: ['x'] } }, path: '$.$or' },
  { name: 'rejects $or with a single alternative', pattern: { $or: [{ source: ['x'] }] }, path: '$.$or' },
  {
    name: 'rejects $or with an alternative that is not an object',
    pattern: { $or: [{ source: ['x'] }, 'y'] },
    path: '$.$or[1]',
  },
  {
    name: 'rejects an invalid leaf inside a $or alternative',
    pattern: { $or: [{ a: ['x'] }, { b: 'y' }] },
    path: '$.$or[1].b',
  },
  {
    name: 'quotes keys that are not plain identifiers in the path',
    pattern: { 'my field': 'x' },
    path: '$["my field"]',
  },
];

describe('validateEventPattern', () => {
  it.each(invalidCases)('$name', ({ pattern, path }) => {
    expect(() => validateEventPattern(pattern)).toThrow(`Invalid event pattern at ${path}:`);
  });

  it.each(matchCases.filter(({ rejectedByAws }) => !rejectedByAws))(
    'accepts the pattern used for "$name"',
    ({ pattern }) => {
      expect(() => validateEventPattern(pattern)).not.toThrow();
    },
  );

  it('throws an InvalidEventPatternError that exposes the offending path', () => {
    // Prepare
    const pattern: unknown = { detail: { tokens: [{ numeric: ['>', 0, '<=', 'five'] }] } };

    // Act
    let thrown: unknown;
    try {
      validateEventPattern(pattern);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    expect(thrown).toMatchObject({ name: 'InvalidEventPatternError', path: '$.detail.tokens[0].numeric[3]' });
  });

  it('narrows a parsed JSON pattern so it can be matched directly', () => {
    // Prepare
    const parsed: unknown = JSON.parse(
      '{"source":[{"anything-but":{"prefix":"aws."}}],"detail":{"tokens":[{"numeric":[">",0]}]}}',
    );

    // Act
    validateEventPattern(parsed);
    const matched = matchesEventPattern(parsed, usageEvent);

    // Assess
    expect(matched).toBe(true);
  });
});

const ingestRoutingCases: Array<{ detailType: string; source: string; routed: boolean }> = [
  { detailType: 'ai.workflow.usage', source: 'acme.bot', routed: true },
  { detailType: 'ai.workflow.outcome', source: 'acme.bot', routed: true },
  { detailType: 'ai.workflow.override', source: 'acme.bot', routed: true },
  // Near-misses reach the queue so that the aggregate function quarantines them with a reason.
  { detailType: 'ai.workflow.Usage', source: 'acme.bot', routed: true },
  { detailType: 'AI.Workflow.OUTCOME', source: 'acme.bot', routed: true },
  { detailType: 'ai.workflow.cost', source: 'acme.bot', routed: true },
  { detailType: 'ai.workflow.usage ', source: 'acme.bot', routed: true },
  { detailType: 'ai.workflow.', source: 'acme.bot', routed: true },
  // Outside the namespace: other traffic on a shared bus is none of Yardstick's business.
  { detailType: 'ai.workflows.usage', source: 'acme.bot', routed: false },
  { detailType: 'ai.workflow', source: 'acme.bot', routed: false },
  { detailType: 'workflow.usage', source: 'acme.bot', routed: false },
  { detailType: 'Scheduled Event', source: 'acme.bot', routed: false },
  { detailType: 'ai.workflow.usage', source: 'aws.events', routed: false },
  { detailType: 'ai.workflow.Usage', source: 'aws.partner', routed: false },
];

describe('the ingestion pattern', () => {
  it.each(ingestRoutingCases)(
    'routes detail-type "$detailType" from "$source": $routed',
    ({ detailType, source, routed }) => {
      // Act
      const matched = matchesEventPattern(INGEST_PATTERN, eventWith({ 'detail-type': detailType, source }));
      // Assess
      expect(matched).toBe(routed);
    },
  );

  it('is a pattern EventBridge accepts', () => {
    expect(() => validateEventPattern(structuredClone(INGEST_PATTERN))).not.toThrow();
  });
});
