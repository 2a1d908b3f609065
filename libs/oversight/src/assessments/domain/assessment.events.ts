import type { Evidence, OgpValue } from '#commitments';

/**
 * Events of independent assessments (stream `assessment-<commitment>.<report kind>.<report
 * id>`: one stream per commitment and report). Plain JSON, as the log hashes it: optional
 * members are absent, never undefined. The words are the IRM's (OGP's Independent Reporting
 * Mechanism), in lower snake case.
 */

/** The IRM reports an assessment belongs to. */
export const REPORT_KINDS = ['action_plan_review', 'results_report'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const VERIFIABILITY = ['verifiable', 'not_verifiable'] as const;
export type Verifiability = (typeof VERIFIABILITY)[number];

export const POTENTIAL_FOR_RESULTS = ['unclear', 'modest', 'substantial'] as const;
export type PotentialForResults = (typeof POTENTIAL_FOR_RESULTS)[number];

export const COMPLETION_LEVELS = [
  'no_evidence_available',
  'not_started',
  'limited',
  'substantial',
  'complete',
] as const;
export type Completion = (typeof COMPLETION_LEVELS)[number];

/** "Did it open government?", from worst to best. */
export const OPEN_GOVERNMENT_RESULTS = [
  'worsened',
  'did_not_change',
  'marginal',
  'major',
  'outstanding',
] as const;
export type OpenGovernmentResult = (typeof OPEN_GOVERNMENT_RESULTS)[number];

/** The report an assessment belongs to: its kind, and the id the assessor gives it. */
export interface AssessedReport {
  kind: ReportKind;
  id: string;
}

/** The assessment method and its version, e.g. `OGP IRM` and `2021 refresh`. */
export interface AssessmentScheme {
  name: string;
  version: string;
}

/** Whether the commitment is relevant to the open-government lens, and through which values. */
export interface OpenGovernmentLens {
  relevant: boolean;
  /** At least one when relevant; none when not. */
  values: OgpValue[];
}

/** What an assessor rates, as recorded. */
export interface AssessmentRatings {
  scheme: AssessmentScheme;
  verifiability: Verifiability;
  openGovernmentLens: OpenGovernmentLens;
  potentialForResults: PotentialForResults;
  completion: Completion;
  didItOpenGovernment: OpenGovernmentResult;
  justification: string;
  /** At least one: the report itself, at the least. Only hashes and links are in the log. */
  evidence: Evidence[];
}

export interface IndependentAssessmentRecorded {
  type: 'IndependentAssessmentRecorded';
  data: {
    /** `<commitmentId>.<report kind>.<report id>.<n>`, n counting the report's assessments from 1. */
    assessmentId: string;
    commitmentId: string;
    report: AssessedReport;
    /** The assessment of the same report that this one replaces. */
    supersedes?: string;
    /** Why it replaces it: present exactly when `supersedes` is. */
    reason?: string;
  } & AssessmentRatings;
}

export type AssessmentEvent = IndependentAssessmentRecorded;
export type AssessmentEventType = AssessmentEvent['type'];
export type StoredAssessmentEvent = AssessmentEvent & { id: string };

/** The schema version each event type is written at. */
export const ASSESSMENT_SCHEMA_VERSIONS: Readonly<Record<AssessmentEventType, number>> = {
  IndependentAssessmentRecorded: 1,
};

export const ASSESSMENT_EVENT_TYPES = Object.keys(
  ASSESSMENT_SCHEMA_VERSIONS,
) as AssessmentEventType[];

/** The prefix of every assessment stream. */
export const ASSESSMENT_STREAM_PREFIX = 'assessment-';

/**
 * The id of the stream of one commitment's assessments for one report. Ids are letters,
 * digits, `-` and `_` (the decider checks them), so the dots keep the parts apart.
 */
export function assessmentStreamId(commitmentId: string, report: AssessedReport): string {
  return `${commitmentId}.${report.kind}.${report.id}`;
}

/** The event store's name of a stream, from its id. */
export function assessmentStream(streamId: string): string {
  return `${ASSESSMENT_STREAM_PREFIX}${streamId}`;
}
