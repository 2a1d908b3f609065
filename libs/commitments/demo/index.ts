// The commitments context's demo data: loaded at start through `commitmentsContext.demo`, and
// used by tests and benchmarks. Not part of the library's index (#commitments).
export {
  CARTAGENA_2023_AGENCY_ID,
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023History,
  cartagena2023Milestones,
  cartagena2023Plan,
  cartagena2023PlanHistory,
  type DemoActor,
  type DemoStep,
  type PlanDemoStep,
} from './cartagena-2023.js';
export {
  documents as cartagena2023Documents,
  type DemoDocument,
} from './cartagena-2023.documents.js';
