import { describe, expect, it } from '@jest/globals';
import { bordaCount, sameStandings } from './borda.js';

describe('the Borda count', () => {
  const topics = ['a', 'b', 'c', 'd'];

  it('gives n - r points for place r and 0 to topics a ballot leaves out, as counted by hand', () => {
    // n = 4. Ballot 1: a 3, b 2, c 1, d 0. Ballot 2: c 3, a 2 (b, d unranked: 0).
    // Ballot 3: b 3. Totals: a 5, b 5, c 4, d 0. a and b tie on points; a has 1 first
    // place, b has 1: a full tie, so both rank 1, listed in the published order.
    const count = bordaCount(topics, [['a', 'b', 'c', 'd'], ['c', 'a'], ['b']]);
    expect(count).toEqual([
      { topicId: 'a', points: 5, firstPlaces: 1, rank: 1 },
      { topicId: 'b', points: 5, firstPlaces: 1, rank: 1 },
      { topicId: 'c', points: 4, firstPlaces: 1, rank: 3 },
      { topicId: 'd', points: 0, firstPlaces: 0, rank: 4 },
    ]);
  });

  it('breaks a tie on points by first places', () => {
    // a: 3 + 1 = 4 with one first place; b: 2 + 2 = 4 with none.
    const count = bordaCount(topics, [
      ['a', 'b'],
      ['c', 'b', 'a'],
    ]);
    expect(count.map((line) => [line.topicId, line.points, line.rank])).toEqual([
      ['a', 4, 1],
      ['b', 4, 2],
      ['c', 3, 3],
      ['d', 0, 4],
    ]);
  });

  it('lists every topic, all sharing rank 1, when nobody voted', () => {
    expect(bordaCount(topics, []).map((line) => line.rank)).toEqual([1, 1, 1, 1]);
  });

  it('does not depend on the order the ballots are counted in', () => {
    const ballots = [['d', 'c'], ['a', 'b', 'c'], ['b'], ['c', 'd', 'a', 'b']];
    expect(bordaCount(topics, ballots)).toEqual(bordaCount(topics, [...ballots].reverse()));
  });

  it('tells equal counts from different ones', () => {
    const count = bordaCount(topics, [['a', 'b']]);
    expect(sameStandings(count, bordaCount(topics, [['a', 'b']]))).toBe(true);
    expect(sameStandings(count, bordaCount(topics, [['b', 'a']]))).toBe(false);
    expect(sameStandings(count, count.slice(1))).toBe(false);
  });
});
