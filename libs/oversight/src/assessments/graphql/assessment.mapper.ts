import type { EvidenceKindEnum, OgpValueEnum } from '#commitments';
import type { AssessmentRow } from '../read-models/assessments/assessments.queries.js';
import {
  AssessmentStatusEnum,
  type AssessmentCompletionEnum,
  type AssessmentReportKindEnum,
  type OpenGovernmentResultEnum,
  type PotentialForResultsEnum,
  type VerifiabilityEnum,
} from './models/assessment.enums.js';
import type { IndependentAssessmentModel } from './models/assessment.model.js';

/** An assessment as the read model holds it, as the API shows it. */
export function assessmentFromRow(row: AssessmentRow): IndependentAssessmentModel {
  const a = row.assessment;
  return {
    id: row.assessmentId,
    commitmentId: row.commitmentId,
    report: { kind: row.report.kind as AssessmentReportKindEnum, id: row.report.id },
    status:
      row.supersededBy === null ? AssessmentStatusEnum.CURRENT : AssessmentStatusEnum.SUPERSEDED,
    supersedes: a.supersedes ?? null,
    supersededBy: row.supersededBy,
    reason: a.reason ?? null,
    scheme: a.scheme,
    verifiability: a.verifiability as VerifiabilityEnum,
    openGovernmentLens: {
      relevant: a.openGovernmentLens.relevant,
      values: a.openGovernmentLens.values as OgpValueEnum[],
    },
    potentialForResults: a.potentialForResults as PotentialForResultsEnum,
    completion: a.completion as AssessmentCompletionEnum,
    didItOpenGovernment: a.didItOpenGovernment as OpenGovernmentResultEnum,
    justification: a.justification,
    evidence: a.evidence.map((e) => ({
      kind: e.kind as EvidenceKindEnum,
      url: e.kind === 'link' ? e.url : null,
      fileName: e.kind === 'document' ? e.fileName : null,
      sha256: e.sha256,
      mediaType: e.mediaType,
      description: e.description,
    })),
    assessedAt: row.occurredAt,
    recordedAt: row.recordedAt,
    position: row.position,
    eventId: row.eventId,
  };
}
