import { describe, expect, it } from '@jest/globals';
import { commitmentRollup, planRollup, weight, weightedMean } from './rollup.js';
import { InvalidCommand } from './commitment.errors.js';
import { cartagena2023History } from '../../demo/cartagena-2023.js';
import { commitmentDecider } from './commitment.decide.js';

/** The demo's commitment, decided and folded step by step at each step's business time. */
function foldDemo() {
  let state = commitmentDecider.initialState;
  cartagena2023History.forEach((step, i) => {
    const events = commitmentDecider.decide(step.command, state, {
      now: new Date(step.occurredAt),
    });
    state = events.reduce(
      (s, event, k) => commitmentDecider.evolve(s, { ...event, id: `e${i}-${k}` }),
      state,
    );
  });
  return state;
}

describe('the roll-up formula', () => {
  it('is the weighted mean of the inputs, rounded to two decimals', () => {
    expect(
      weightedMean([
        { id: 'a', weight: 1, progress: 100 },
        { id: 'b', weight: 2, progress: 50 },
      ]),
    ).toBe(66.67);
    expect(weightedMean([{ id: 'a', weight: 3, progress: 40 }])).toBe(40);
  });

  it('rounds a half up, exactly (no binary fraction error)', () => {
    // 1.005 * 100 is 100.49999... in floating point; the formula works in hundredths.
    expect(
      weightedMean([
        { id: 'a', weight: 1, progress: 1 },
        { id: 'b', weight: 1, progress: 1.01 },
      ]),
    ).toBe(1.01);
    expect(
      weightedMean([
        { id: 'a', weight: 1, progress: 0.01 },
        { id: 'b', weight: 1, progress: 0 },
      ]),
    ).toBe(0.01);
    expect(
      weightedMean([
        { id: 'a', weight: 1, progress: 0.01 },
        { id: 'b', weight: 2, progress: 0 },
      ]),
    ).toBe(0);
  });

  it('has no value without inputs', () => {
    expect(weightedMean([])).toBeUndefined();
  });
});

describe("a commitment's roll-up", () => {
  it('counts every milestone but the cancelled ones, each weighing 1 unless set', () => {
    const rollup = commitmentRollup([
      { id: 'm1', status: 'completed', progress: 100 },
      { id: 'm2', status: 'in_progress', progress: 40, weight: 3 },
      { id: 'm3', status: 'cancelled', progress: 70 },
      { id: 'm4', status: 'scheduled', progress: 0 },
    ]);
    expect(rollup).toEqual({
      value: 44, // (100 + 3 × 40 + 0) / 5
      inputs: [
        { id: 'm1', weight: 1, progress: 100 },
        { id: 'm2', weight: 3, progress: 40 },
        { id: 'm4', weight: 1, progress: 0 },
      ],
      excluded: [{ id: 'm3', reason: 'cancelled' }],
    });
  });

  it('has no value when every milestone is cancelled, or there is none', () => {
    expect(commitmentRollup([]).value).toBeUndefined();
    expect(
      commitmentRollup([{ id: 'm1', status: 'cancelled', progress: 20 }]).value,
    ).toBeUndefined();
  });
});

describe("a plan's roll-up", () => {
  it("weighs its commitments' published values, leaving out drafts, withdrawn and valueless", () => {
    const rollup = planRollup(
      [
        { id: 'a', status: 'in_progress', progress: 92.86 },
        { id: 'b', status: 'completed', progress: 100 },
        { id: 'c', status: 'draft', progress: 10 },
        { id: 'd', status: 'withdrawn', progress: 50 },
        { id: 'e', status: 'published' },
      ],
      { b: 2 },
    );
    expect(rollup).toEqual({
      value: 97.62, // (92.86 + 2 × 100) / 3 = 97.6200
      inputs: [
        { id: 'a', weight: 1, progress: 92.86 },
        { id: 'b', weight: 2, progress: 100 },
      ],
      excluded: [
        { id: 'c', reason: 'draft' },
        { id: 'd', reason: 'withdrawn' },
        { id: 'e', reason: 'no_progress' },
      ],
    });
  });
});

describe('a weight', () => {
  it.each([0, -1, 1.5, 1001, '2', null])('refuses %p', (value) => {
    expect(() => weight(value, 'weights.0.weight')).toThrow(InvalidCommand);
  });

  it('takes a whole number from 1 to 1000', () => {
    expect(weight(1, 'w')).toBe(1);
    expect(weight(1000, 'w')).toBe(1000);
  });
});

describe('the worked example of docs/open-data/action-plans.md', () => {
  const state = foldDemo();
  const milestones = state.status === 'empty' ? [] : state.milestones;

  it('gives the demo commitment 650 / 7 = 92.86 with equal weights', () => {
    const rollup = commitmentRollup(milestones);
    expect(rollup.inputs.map((i) => [i.id, i.weight, i.progress])).toEqual([
      ['m1', 1, 100],
      ['m2', 1, 100],
      ['m3', 1, 100],
      ['m4', 1, 100],
      ['m5', 1, 100],
      ['m6', 1, 70],
      ['m7', 1, 80],
    ]);
    expect(rollup.value).toBe(92.86);
    expect(planRollup([{ id: 'c', status: state.status, progress: rollup.value }]).value).toBe(
      92.86,
    );
  });

  it('would give it 800 / 9 = 88.89 with m6 and m7 weighing 2', () => {
    const weighted = milestones.map((m) =>
      m.id === 'm6' || m.id === 'm7' ? { ...m, weight: 2 } : m,
    );
    expect(commitmentRollup(weighted).value).toBe(88.89);
  });
});
