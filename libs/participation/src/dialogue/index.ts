// The dialogue part of participation: dialogue spaces, attendance and improvement actions.
export * from './domain/index.js';
export { DialogueSpaceCommandHandler } from './application/dialogue-space-command.handler.js';
export { DIALOGUE_SPACE_UPCASTERS } from './application/dialogue-space-upcasters.js';
export {
  DialogueSpaceTimeline,
  type DialogueSpaceSnapshot,
} from './application/dialogue-space-timeline.js';
export { DialogueModule } from './dialogue.module.js';
export { DIALOGUE_PUBLIC_READ_QUERIES } from './graphql/dialogue-spaces.resolver.js';
export { dialogueSpacesReadModel } from './read-models/dialogue-spaces/dialogue-spaces.read-model.js';
export {
  DIALOGUE_SPACES_PROJECTION,
  DialogueSpacesProjection,
} from './read-models/dialogue-spaces/dialogue-spaces.projection.js';
export {
  DialogueSpaceQueries,
  type DialogueSpaceFilter,
} from './read-models/dialogue-spaces/dialogue-spaces.queries.js';
