import type { RecordedEvent, Upcaster } from '#event-store';
import { OGP_VALUES, validEvidence } from '#commitments';
import { foldRecorded, type StreamType } from '#platform';
import {
  ASSESSMENT_SCHEMA_VERSIONS,
  assessmentDecider,
  assessmentStream,
  type AssessmentCommand,
  type AssessmentEvent,
  type AssessmentState,
  type AssessmentVocabulary,
  type StoredAssessmentEvent,
} from '../domain/index.js';

/** OGP values and evidence exactly as the commitments context records them. */
export const ASSESSMENT_VOCABULARY: AssessmentVocabulary = {
  ogpValues: OGP_VALUES,
  evidence: validEvidence,
};

/** The assessment stream type: its streams, decider and schema versions. */
export const ASSESSMENT_STREAM: StreamType<
  AssessmentCommand,
  AssessmentEvent,
  AssessmentState,
  StoredAssessmentEvent
> = {
  name: 'assessment',
  streamOf: assessmentStream,
  decider: assessmentDecider(ASSESSMENT_VOCABULARY),
  schemaVersions: ASSESSMENT_SCHEMA_VERSIONS,
  upcasters: 'ASSESSMENT_UPCASTERS',
};

/** Every assessment event is still at schema version 1: nothing to upcast yet. */
export const ASSESSMENT_UPCASTERS: readonly Upcaster[] = [];

/** Folds recorded events of one report's assessments with its evolve. */
export function foldAssessments(
  events: readonly RecordedEvent[],
  from?: AssessmentState,
): AssessmentState {
  return foldRecorded(ASSESSMENT_STREAM, events, from);
}
