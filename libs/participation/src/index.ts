// The participation context's public surface: other contexts and apps import only this.
export { participationContext } from './participation.context.js';
export { ParticipationModule } from './participation.module.js';
export { PrioritizationCommandHandler } from './prioritization/application/prioritization-command.handler.js';
export {
  BORDA_RULE,
  bordaCount,
  sameStandings,
  type BordaStanding,
} from './prioritization/domain/index.js';
export * from './dialogue/index.js';
