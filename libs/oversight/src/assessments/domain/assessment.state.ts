import type { AssessedReport, AssessmentRatings } from './assessment.events.js';

/** One assessment of the report as the log holds it. */
export interface RecordedAssessment extends AssessmentRatings {
  assessmentId: string;
  /** 1 for the report's first assessment, and so on. */
  ordinal: number;
  /** The IndependentAssessmentRecorded event's id. */
  eventId: string;
  supersedes?: string;
  reason?: string;
}

/**
 * One commitment's assessments for one report: none yet, or every one recorded, oldest
 * first. The last is the current one; each earlier one is superseded by the next.
 */
export type AssessmentState =
  | { status: 'none' }
  | {
      status: 'assessed';
      commitmentId: string;
      report: AssessedReport;
      assessments: readonly RecordedAssessment[];
    };

export const initialAssessmentState: AssessmentState = { status: 'none' };

/** The assessment in force: the last recorded. Precondition: the state is `assessed`. */
export function currentAssessment(
  state: Extract<AssessmentState, { status: 'assessed' }>,
): RecordedAssessment {
  return state.assessments[state.assessments.length - 1];
}
