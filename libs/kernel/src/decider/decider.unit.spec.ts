import { describe, expect, it } from '@jest/globals';
import { fold, type Decider } from './decider.js';

type Event = { type: 'Added'; data: { n: number }; id: string };
const sum: Pick<Decider<never, Event, number, Event>, 'evolve' | 'initialState'> = {
  initialState: 0,
  evolve: (state, event) => state + event.data.n,
};
const added = (n: number, id: string): Event => ({ type: 'Added', data: { n }, id });

describe('fold', () => {
  it('folds events in order from the initial state', () => {
    expect(fold(sum, [added(2, 'a'), added(3, 'b')])).toBe(5);
    expect(fold(sum, [])).toBe(0);
  });

  it('goes on from a given state', () => {
    expect(fold(sum, [added(1, 'c')], 10)).toBe(11);
  });
});
