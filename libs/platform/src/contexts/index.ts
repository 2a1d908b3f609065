export type {
  ContextDefinition,
  ContextDemo,
  ContextImporter,
  ContextModuleOptions,
  ImportOutcome,
  ImportPlan,
} from './context-definition.js';
export {
  EventDescriptions,
  type ContextEventDescriptions,
  type DescribedStream,
  type EventSummary,
  type StreamState,
} from './event-descriptions.js';
export {
  contextDemos,
  contextPersonalData,
  contextPublicReadQueries,
  contextReadModels,
  contextReadSchema,
  contextUpcasters,
  importerFor,
} from './contexts.js';
export { demoSetting, type DemoSetting } from './demo-setting.js';
export { DemosModule, type DemosModuleOptions } from './demos.module.js';
export { ImportEntryError } from './import-entry.error.js';
