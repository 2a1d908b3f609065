// The independent assessments' part of the oversight context's surface.
export * from './domain/index.js';
export { AssessmentCommandHandler } from './application/assessment-command.handler.js';
export { ASSESSMENT_STREAM, ASSESSMENT_UPCASTERS } from './application/assessment-stream.js';
export { assessmentsReadModel } from './read-models/assessments/assessments.read-model.js';
