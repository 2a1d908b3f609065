import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { participationContext } from '../src/participation.context.js';
import { evaluationWorld, type EvaluationWorld } from '../test/evaluations/evaluation-world.js';

describe('the evaluations demo', () => {
  let world: EvaluationWorld;

  beforeAll(async () => {
    world = await evaluationWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('records milestone 6 evaluations: some answered, one overdue, one moderated; twice is once', async () => {
    const first = await participationContext.demo?.load(world.store);
    const head = await world.store.head();
    await participationContext.demo?.load(world.store);
    expect(await world.store.head()).toBe(head);
    expect(first).toBeGreaterThan(0);

    await world.project();
    const rows = await world.queries.page({ milestoneId: 'm6' }, 20);
    expect(rows.map((r) => [r.id, r.answer_state, r.moderation_state])).toEqual([
      ['demo-m6-5', 'answered', 'visible'],
      ['demo-m6-4', 'answered', 'hidden'],
      ['demo-m6-3', 'overdue', 'visible'],
      ['demo-m6-2', 'answered', 'visible'],
      ['demo-m6-1', 'answered', 'visible'],
    ]);
    expect(rows.find((r) => r.id === 'demo-m6-2')?.answers).toBe(2);
    expect(rows.find((r) => r.id === 'demo-m6-3')?.due_day).toBe('2024-01-02');
  });
});
