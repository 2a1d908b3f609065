// The commitments context's public surface: other contexts and apps import only this.
export * from './domain/index.js';
export {
  CommitmentCommandHandler,
  type CommandIssuer,
  type CommandRequest,
  type CommandResult,
  type CommitmentCommandHandlerOptions,
} from './application/commitment-command.handler.js';
export { CommandIdReusedError } from '#platform';
export { COMMITMENT_UPCASTERS } from './application/commitment-upcasters.js';
export { CommitmentsModule } from './commitments.module.js';
export { PUBLIC_READ_QUERIES } from './graphql/commitments.resolver.js';
export { commitmentsReadModel } from './read-models/commitments/commitments.read-model.js';
export {
  COMMITMENTS_PROJECTION,
  CommitmentsProjection,
} from './read-models/commitments/commitments.projection.js';
export {
  CommitmentQueries,
  type CommitmentFilter,
} from './read-models/commitments/commitments.queries.js';
export {
  CommitmentTimeline,
  type CommitmentSnapshot,
  type HistoryEntry,
  type TimeTravel,
} from './application/commitment-timeline.js';
export { commitmentsContext } from './commitments.context.js';
export {
  IMPORT_FORMAT,
  ImportStepError,
  importSteps,
  runImport,
  type ImportStep,
  type ImportSummary,
} from './application/commitment-import.js';
export { CommitmentModel } from './graphql/models/commitment.model.js';
export { evidence as validEvidence } from './domain/commitment.validate.js';
export { EvidenceKindEnum, OgpValueEnum } from './graphql/models/enums.js';
export { EvidenceInput } from './graphql/dto/milestone.input.js';
export {
  ACTION_PLAN_STREAM,
  ActionPlanCommandHandler,
  type ActionPlanCommandRequest,
} from './application/action-plan-command.handler.js';
export {
  ActionPlanQueries,
  type ActionPlanRollup,
  type ActionPlanView,
} from './read-models/action-plans/action-plans.queries.js';
export {
  ACTION_PLANS_PROJECTION,
  ActionPlansProjection,
} from './read-models/action-plans/action-plans.projection.js';
export { actionPlansReadModel } from './read-models/action-plans/action-plans.read-model.js';
export { LeadAgencyModel } from './graphql/models/commitment.model.js';
export { ActionPlanModel } from './graphql/models/action-plan.model.js';
