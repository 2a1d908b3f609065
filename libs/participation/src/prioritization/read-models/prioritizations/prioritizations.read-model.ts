import type { ReadModel } from '#platform';
import { PrioritizationsReadModel1796000000300 } from './migrations/1796000000300-prioritizations-read-model.js';
import { PrioritizationRow } from './prioritization.entity.js';
import { PrioritizationsProjection } from './prioritizations.projection.js';

/** The prioritization part's read side, for ProjectionsModule and `cuenta replay`. */
export const prioritizationsReadModel: ReadModel = {
  entities: [PrioritizationRow],
  migrations: [PrioritizationsReadModel1796000000300],
  projections: () => [new PrioritizationsProjection()],
};
