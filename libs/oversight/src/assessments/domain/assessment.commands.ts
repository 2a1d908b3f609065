/**
 * Records an independent assessment of a commitment for a report. The decider checks every
 * field's shape; a later one for the same (commitment, report) supersedes the current one and
 * needs a `reason`.
 */
export interface RecordIndependentAssessment {
  type: 'RecordIndependentAssessment';
  data: {
    commitmentId: string;
    report: { kind: string; id: string };
    scheme: { name: string; version: string };
    verifiability: string;
    openGovernmentLens: { relevant: boolean; values: string[] };
    potentialForResults: string;
    completion: string;
    didItOpenGovernment: string;
    justification: string;
    evidence: unknown[];
    /** Required when the report already has an assessment; refused otherwise. */
    reason?: string;
  };
}

export type AssessmentCommand = RecordIndependentAssessment;
export type AssessmentCommandType = AssessmentCommand['type'];
