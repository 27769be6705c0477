import { describe, expect, it } from 'vitest';
import { itemSizeBytes } from '../../bench/item-size.ts';
import { itemKindOf } from '../../bench/request-ledger.ts';
import { sectionOf, spliceSection } from '../../bench/section-splice.ts';
import { queryReadUnits, readUnits, WriteAction, writeUnits } from '../../bench/write-units.ts';

const write = (overrides: Partial<Parameters<typeof writeUnits>[0]>) =>
  writeUnits({
    action: WriteAction.put,
    oldBytes: 0,
    newBytes: 0,
    transactional: false,
    failed: false,
    ...overrides,
  });

describe('write units by DynamoDB rules', () => {
  it('charges a standard write one unit per started KB, at least one', () => {
    // Prepare / Act / Assess
    expect(write({ newBytes: 0 })).toBe(1);
    expect(write({ newBytes: 1024 })).toBe(1);
    expect(write({ newBytes: 1025 })).toBe(2);
  });

  it('sizes an update or a put by the larger of the item before and after', () => {
    expect(write({ action: WriteAction.update, oldBytes: 2100, newBytes: 900 })).toBe(3);
    expect(write({ action: WriteAction.update, oldBytes: 900, newBytes: 1100 })).toBe(2);
    expect(write({ action: WriteAction.put, oldBytes: 3000, newBytes: 100 })).toBe(3);
  });

  it('charges a transactional write twice, a condition check included', () => {
    expect(write({ newBytes: 1500, transactional: true })).toBe(4);
    expect(write({ action: WriteAction.conditionCheck, oldBytes: 100, transactional: true })).toBe(2);
  });

  it('still charges a write whose condition failed, sized by the stored item', () => {
    expect(write({ action: WriteAction.update, oldBytes: 1500, newBytes: 9000, failed: true })).toBe(2);
    expect(write({ action: WriteAction.put, oldBytes: 0, newBytes: 200, failed: true })).toBe(1);
  });

  it('charges a delete by the item it removes', () => {
    expect(write({ action: WriteAction.delete, oldBytes: 5000 })).toBe(5);
  });
});

describe('read units by DynamoDB rules', () => {
  it('charges one unit per started 4 KB, half when eventually consistent, a missing key at the minimum', () => {
    expect(readUnits(0, { consistent: true })).toBe(1);
    expect(readUnits(4097, { consistent: true })).toBe(2);
    expect(readUnits(100, { consistent: false })).toBe(0.5);
  });

  it('rounds a query up once over the sum of its items', () => {
    expect(queryReadUnits([1000, 1000, 1000, 1000, 100], { consistent: true })).toBe(2);
  });
});

describe('item size and kind', () => {
  it('sizes attribute names and values', () => {
    expect(itemSizeBytes({ pk: { S: 'abc' }, n: { N: '12345' } })).toBe(2 + 3 + 1 + 4);
  });

  it('names the item kinds of the single-table layout', () => {
    expect(itemKindOf('RAW#wf#0', 'e1')).toBe('recorded event');
    expect(itemKindOf('WF#wf', 'H#2026-11-25T11')).toBe('counter');
    expect(itemKindOf('WF#wf', 'UH#2026-11-25T11')).toBe('users sketch');
  });
});

describe('spliceSection', () => {
  it('replaces a section up to the next heading and keeps the rest', () => {
    const markdown = '# B\n\n## One\n\nold\n\n## Two\n\nkept\n';
    expect(spliceSection(markdown, '## One', '## One\n\nnew\n')).toBe(
      '# B\n\n## One\n\nnew\n## Two\n\nkept\n',
    );
  });

  it('inserts a missing section before the given heading', () => {
    expect(spliceSection('# B\n\n## Two\n', '## One', '## One\n', '## Two')).toBe(
      '# B\n\n## One\n\n## Two\n',
    );
  });

  it('reads back a section up to the next heading', () => {
    expect(sectionOf('# B\n\n## One\n\ntext\n\n## Two\n', '## One')).toBe('## One\n\ntext\n\n');
    expect(sectionOf('# B\n', '## One')).toBeUndefined();
  });
});
