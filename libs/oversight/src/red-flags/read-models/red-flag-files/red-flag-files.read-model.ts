import type { ReadModel } from '#platform';
import { RedFlagFilesReadModel1797000000500 } from './migrations/1797000000500-red-flag-files-read-model.js';
import { RedFlagFilesProjection } from './red-flag-files.projection.js';

/** The red flags' read side, for ProjectionsModule and `cuenta replay`. */
export const redFlagFilesReadModel: ReadModel = {
  entities: [],
  migrations: [RedFlagFilesReadModel1797000000500],
  projections: () => [new RedFlagFilesProjection()],
};
