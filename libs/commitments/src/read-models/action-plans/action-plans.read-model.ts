import type { ReadModel } from '#platform';
import { ActionPlanRow } from './action-plan.entity.js';
import { ActionPlansProjection } from './action-plans.projection.js';
import { ActionPlansReadModel1796500000200 } from './migrations/1796500000200-action-plans-read-model.js';

/** Action plans' read side: registered plans (derived plans are read from commitments). */
export const actionPlansReadModel: ReadModel = {
  entities: [ActionPlanRow],
  migrations: [ActionPlansReadModel1796500000200],
  projections: ({ store }) => [new ActionPlansProjection(store)],
};
