import { registerEnumType } from '@nestjs/graphql';

// GraphQL enums in the usual upper case; their values are the domain's words (the IRM's).

export enum AssessmentReportKindEnum {
  ACTION_PLAN_REVIEW = 'action_plan_review',
  RESULTS_REPORT = 'results_report',
}
registerEnumType(AssessmentReportKindEnum, {
  name: 'AssessmentReportKind',
  description: "The IRM report an assessment belongs to: the action plan's review, or its results.",
});

export enum VerifiabilityEnum {
  VERIFIABLE = 'verifiable',
  NOT_VERIFIABLE = 'not_verifiable',
}
registerEnumType(VerifiabilityEnum, {
  name: 'Verifiability',
  description: 'Whether the commitment is written so that its completion can be checked.',
});

export enum PotentialForResultsEnum {
  UNCLEAR = 'unclear',
  MODEST = 'modest',
  SUBSTANTIAL = 'substantial',
}
registerEnumType(PotentialForResultsEnum, { name: 'PotentialForResults' });

export enum AssessmentCompletionEnum {
  NO_EVIDENCE_AVAILABLE = 'no_evidence_available',
  NOT_STARTED = 'not_started',
  LIMITED = 'limited',
  SUBSTANTIAL = 'substantial',
  COMPLETE = 'complete',
}
registerEnumType(AssessmentCompletionEnum, {
  name: 'AssessmentCompletion',
  description: 'How far the assessor found the commitment carried out.',
});

export enum OpenGovernmentResultEnum {
  WORSENED = 'worsened',
  DID_NOT_CHANGE = 'did_not_change',
  MARGINAL = 'marginal',
  MAJOR = 'major',
  OUTSTANDING = 'outstanding',
}
registerEnumType(OpenGovernmentResultEnum, {
  name: 'OpenGovernmentResult',
  description: '"Did it open government?", from worst to best.',
});

export enum AssessmentStatusEnum {
  CURRENT = 'current',
  SUPERSEDED = 'superseded',
}
registerEnumType(AssessmentStatusEnum, {
  name: 'AssessmentStatus',
  description:
    'CURRENT: the latest assessment of its report. SUPERSEDED: a later assessment of the same ' +
    'report replaced it (it stays on record).',
});
