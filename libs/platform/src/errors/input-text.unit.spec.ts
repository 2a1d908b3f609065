import { describe, expect, it } from '@jest/globals';
import { firstInputProblem, MAX_INPUT_DEPTH, textProblem } from './input-text.js';

describe('textProblem', () => {
  it.each([
    ['plain text', 'Cartagena cuenta'],
    ['accents and ñ', 'Secretaría de Planeación, año'],
    ['a character outside the BMP (a surrogate pair)', 'ola \ud83c\udf0a'],
    ['the empty string', ''],
    ['U+FFFD', 'roto \ufffd'],
  ])('accepts %s', (_name, text) => {
    expect(textProblem(text)).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate', 'Ca\ud800o', 'a lone surrogate U+D800 at character 2'],
    ['a lone low surrogate', '\udc00', 'a lone surrogate U+DC00 at character 0'],
    ['a high surrogate at the end', 'fin\udbff', 'a lone surrogate U+DBFF at character 3'],
    ['pair halves in the wrong order', '\udf0a\ud83c', 'a lone surrogate U+DF0A at character 0'],
    ['NUL', 'a\u0000b', 'U+0000 (NUL), found at character 1'],
    ['the noncharacter U+FFFE', '\ufffe', 'noncharacter (I-JSON, RFC 7493): U+FFFE at character 0'],
    [
      'the noncharacter U+FDD0',
      'x\ufdd0',
      'noncharacter (I-JSON, RFC 7493): U+FDD0 at character 1',
    ],
    [
      'the noncharacter U+1FFFF',
      '\ud83f\udfff',
      'noncharacter (I-JSON, RFC 7493): U+1FFFF at character 0',
    ],
  ])('refuses %s', (_name, text, rule) => {
    expect(textProblem(text)).toContain(rule);
  });
});

describe('firstInputProblem', () => {
  it('names the path of the first bad string in objects and lists', () => {
    const input = {
      title: 'ok',
      milestones: [{ title: 'ok' }, { title: 'ok', notes: ['fine', 'bad\u0000'] }],
    };
    expect(firstInputProblem(input, '')).toEqual({
      field: 'milestones.1.notes.1',
      rule: 'must not contain U+0000 (NUL), found at character 3',
    });
  });

  it('checks member names of free-form JSON objects, naming the object', () => {
    expect(firstInputProblem({ corrected: { ['k\ud800']: 1 } }, '')).toEqual({
      field: 'corrected',
      rule: expect.stringContaining('member name must be valid Unicode'),
    });
  });

  it('prefixes a named scalar argument, and names a whole bad argument', () => {
    expect(firstInputProblem('x\ud800', 'code')?.field).toBe('code');
    expect(firstInputProblem(['ok', '\u0000'], 'streams')?.field).toBe('streams.1');
  });

  it('reports a value a scalar refused, with its path', () => {
    expect(firstInputProblem({ when: { refusal: 'names a day that does not exist' } }, '')).toEqual(
      { field: 'when', rule: 'names a day that does not exist' },
    );
  });

  it('refuses nesting deeper than MAX_INPUT_DEPTH, without walking it all', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(firstInputProblem({ corrected: deep }, '')).toEqual({
      field: `corrected${'.a'.repeat(MAX_INPUT_DEPTH - 1)}`,
      rule: `must not nest objects and lists more than ${MAX_INPUT_DEPTH} deep`,
    });
    let within: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) within = [within];
    expect(firstInputProblem({ list: within }, '')).toBeUndefined();
  });

  it('passes numbers, booleans, null, dates and good text', () => {
    expect(
      firstInputProblem({ a: 1, b: true, c: null, d: new Date(0), e: ['ñ', { f: 'g' }] }, ''),
    ).toBeUndefined();
  });
});
