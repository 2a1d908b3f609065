import type { ReadModel } from '#platform';
import { AssessmentsProjection } from './assessments.projection.js';
import { AssessmentsReadModel1797000000700 } from './migrations/1797000000700-assessments-read-model.js';

/** The independent assessments' read side, for ProjectionsModule and `cuenta replay`. */
export const assessmentsReadModel: ReadModel = {
  entities: [],
  migrations: [AssessmentsReadModel1797000000700],
  projections: () => [new AssessmentsProjection()],
};
