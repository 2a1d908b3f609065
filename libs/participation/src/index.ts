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
export { EvaluationCommandHandler } from './evaluations/application/evaluation-command.handler.js';
export { EVALUATION_PERSONAL_DATA } from './evaluations/application/evaluation-personal-data.js';
export { evaluationsReadModel } from './evaluations/read-models/evaluations/evaluations.read-model.js';
export {
  TERRITORIES,
  territoryById,
  type Territory,
  type TerritoryKind,
} from './domain/territories.js';
