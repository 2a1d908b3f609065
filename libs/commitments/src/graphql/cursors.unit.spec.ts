import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '#platform';
import { historyCursor, historyVersionOf, listCursor, listPositionOf } from './cursors.js';

const encoded = (text: string) => Buffer.from(text).toString('base64url');

function thrown(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('history cursors', () => {
  it('name the stream version they were made from, up to 2^31 - 1', () => {
    expect([1, 12, 2 ** 31 - 1].map((v) => historyVersionOf(historyCursor(v)))).toEqual([
      1,
      12,
      2 ** 31 - 1,
    ]);
  });

  it.each([
    ['a version past 2^31 - 1', 'v2147483648'],
    ['a version far past it', 'v2147483649'],
    ['a version past the safe integers', `v${'9'.repeat(25)}`],
    ['version 0', 'v0'],
    ['a negative version', 'v-1'],
    ['a fraction', 'v1.5'],
    ['no version', 'v'],
    ['a list cursor', JSON.stringify(['CTG-1', 'c1'])],
  ])('refuse %s as an input error on `after`', (_, text) => {
    const error = thrown(() => historyVersionOf(encoded(text)));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'after', rule: 'is not a cursor of this history' });
  });
});

describe('list cursors', () => {
  it('name the code and id they were made from', () => {
    expect(listPositionOf(listCursor({ code: 'CTG-1', id: 'c1' }))).toEqual({
      code: 'CTG-1',
      id: 'c1',
    });
  });

  it.each([
    ['text that is not JSON', 'bogus'],
    ['a history cursor', 'v3'],
    ['a list of numbers', '[1, 2]'],
  ])('refuse %s as an input error on `after`', (_, text) => {
    const error = thrown(() => listPositionOf(encoded(text)));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'after', rule: 'is not a cursor of this list' });
  });
});
