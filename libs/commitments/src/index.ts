// The commitments context's public surface: other contexts and apps import only this.
export * from './domain/index.js';
export {
  CARTAGENA_2023_AGENCY_ID,
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023History,
  cartagena2023Milestones,
  type DemoActor,
  type DemoStep,
} from './demo/cartagena-2023.js';
export {
  documents as cartagena2023Documents,
  type DemoDocument,
} from './demo/cartagena-2023.documents.js';
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
export { demoSetting, loadDemo, type DemoSetting } from './application/demo-loader.js';
export type { CommitmentsModuleOptions } from './commitments.module.js';
export {
  IMPORT_FORMAT,
  ImportStepError,
  importSteps,
  runImport,
  type ImportStep,
  type ImportSummary,
} from './application/commitment-import.js';
