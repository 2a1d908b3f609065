import { describe, expect, it } from '@jest/globals';

import { diffFields } from './state-diff.js';

// The diff itself, on plain JSON; commitment.mapper.unit.spec.ts has what a history shows.

const line = (id: string, executed: number | null = null) => ({ id, executed });

describe('diffFields', () => {
  it('is empty for equal objects', () => {
    const value = { title: 'A', lines: [line('l1')], territories: { comunas: ['1'] } };
    expect(diffFields(value, structuredClone(value))).toEqual([]);
  });

  it('names each changed field by a JSON Pointer, in the order of the keys', () => {
    expect(
      diffFields({ status: 'DRAFT', title: 'A' }, { status: 'PUBLISHED', title: 'B' }),
    ).toEqual([
      { path: '/status', before: 'DRAFT', after: 'PUBLISHED' },
      { path: '/title', before: 'A', after: 'B' },
    ]);
  });

  it('treats a null field as an absent one', () => {
    expect(diffFields({ problem: null }, {})).toEqual([]);
    expect(diffFields({ problem: null }, { problem: 'P' })).toEqual([
      { path: '/problem', before: null, after: 'P' },
    ]);
  });

  it('shows every field appearing when there was nothing before', () => {
    expect(diffFields(null, { id: 'c1', problem: null, tags: [] })).toEqual([
      { path: '/id', before: null, after: 'c1' },
      { path: '/tags', before: null, after: [] },
    ]);
  });

  it('addresses list items with an id by that id, not their position', () => {
    expect(diffFields({ lines: [line('l1'), line('l2')] }, { lines: [line('l2', 5)] })).toEqual([
      { path: '/lines/l1', before: line('l1'), after: null },
      { path: '/lines/l2/executed', before: null, after: 5 },
    ]);
  });

  it('addresses list items without an id by their position', () => {
    expect(diffFields({ items: [{ a: 1 }] }, { items: [{ a: 2 }, { a: 3 }] })).toEqual([
      { path: '/items/0/a', before: 1, after: 2 },
      { path: '/items/1', before: null, after: { a: 3 } },
    ]);
  });

  it('shows a list of plain values as one value, and goes into nested objects', () => {
    expect(
      diffFields(
        { areas: ['a'], place: { comunas: [] } },
        { areas: ['a', 'b'], place: { comunas: ['1'] } },
      ),
    ).toEqual([
      { path: '/areas', before: ['a'], after: ['a', 'b'] },
      { path: '/place/comunas', before: [], after: ['1'] },
    ]);
  });

  it('escapes ids and keys as JSON Pointer requires', () => {
    const changes = diffFields({ lines: [] }, { lines: [line('a/b~c')], 'x/y': 1 });
    expect(changes.map((change) => change.path)).toEqual(['/lines/a~1b~0c', '/x~1y']);
  });
});
