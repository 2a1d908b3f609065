import type { ReadModel } from '#platform';
import { EvaluationsProjection } from './evaluations.projection.js';
import { EvaluationsReadModel1796000000100 } from './migrations/1796000000100-evaluations-read-model.js';

/** The evaluations' read side, for ProjectionsModule and `cuenta replay evaluations`. */
export const evaluationsReadModel: ReadModel = {
  entities: [],
  migrations: [EvaluationsReadModel1796000000100],
  projections: () => [new EvaluationsProjection()],
};
