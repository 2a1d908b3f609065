// The oversight context's public surface: other contexts and apps import only this.
export { oversightContext } from './oversight.context.js';
export { OversightModule } from './oversight.module.js';
export {
  AssessmentCommandHandler,
  ASSESSMENT_STREAM_PREFIX,
  assessmentStream,
  assessmentStreamId,
  type IndependentAssessmentRecorded,
} from './assessments/index.js';
