import type { ReadModel } from '#platform';
import { DialogueSpacesProjection } from './dialogue-spaces.projection.js';
import { DialogueSpacesReadModel1796000000200 } from './migrations/1796000000200-dialogue-spaces-read-model.js';

/** The dialogue spaces' read side, for ProjectionsModule and `cuenta replay`. */
export const dialogueSpacesReadModel: ReadModel = {
  entities: [],
  migrations: [DialogueSpacesReadModel1796000000200],
  projections: ({ store }) => [new DialogueSpacesProjection(store)],
};
