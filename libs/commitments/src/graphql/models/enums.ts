import { registerEnumType } from '@nestjs/graphql';

// GraphQL enums in the usual upper case; their values are the domain's words.

export enum OgpValueEnum {
  TRANSPARENCY = 'transparency',
  CITIZEN_PARTICIPATION = 'citizen_participation',
  PUBLIC_ACCOUNTABILITY = 'public_accountability',
  TECHNOLOGY_AND_INNOVATION = 'technology_and_innovation',
  INCLUSION = 'inclusion',
}
registerEnumType(OgpValueEnum, {
  name: 'OgpValue',
  description: 'OGP values, as the action-plan template lists them.',
});

export enum BudgetPhaseEnum {
  PROPOSED = 'proposed',
  APPROVED = 'approved',
  ADJUSTED = 'adjusted',
  EXECUTED = 'executed',
}
registerEnumType(BudgetPhaseEnum, {
  name: 'BudgetPhase',
  description: 'Budget phases, as in the Open Fiscal Data Package.',
});

export enum EvidenceKindEnum {
  LINK = 'link',
  DOCUMENT = 'document',
}
registerEnumType(EvidenceKindEnum, { name: 'EvidenceKind' });

export enum CommitmentStatusEnum {
  DRAFT = 'draft',
  PUBLISHED = 'published',
  IN_PROGRESS = 'in_progress',
  COMPLETED = 'completed',
  WITHDRAWN = 'withdrawn',
}
registerEnumType(CommitmentStatusEnum, {
  name: 'CommitmentStatus',
  description: "A commitment's lifecycle state.",
});

export enum MilestoneStatusEnum {
  SCHEDULED = 'scheduled',
  IN_PROGRESS = 'in_progress',
  DELAYED = 'delayed',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(MilestoneStatusEnum, {
  name: 'MilestoneStatus',
  description: '`DELAYED`: rescheduled after publication to end later than planned.',
});

export enum ActionPlanStatusEnum {
  DRAFT = 'draft',
  IN_IMPLEMENTATION = 'in_implementation',
  COMPLETED = 'completed',
  WITHDRAWN = 'withdrawn',
  NOT_REGISTERED = 'not_registered',
}
registerEnumType(ActionPlanStatusEnum, {
  name: 'ActionPlanStatus',
  description:
    'DRAFT, IN_IMPLEMENTATION, COMPLETED, in that order, or WITHDRAWN before completion. ' +
    'NOT_REGISTERED: commitments name the plan by their actionPlanId, but no one registered ' +
    'it yet (it shows derived from that id).',
});

export enum RollupExclusionReasonEnum {
  CANCELLED = 'cancelled',
  DRAFT = 'draft',
  WITHDRAWN = 'withdrawn',
  NO_PROGRESS = 'no_progress',
}
registerEnumType(RollupExclusionReasonEnum, {
  name: 'RollupExclusionReason',
  description:
    'Why an input is left out of a roll-up: a CANCELLED milestone; a commitment still a ' +
    'DRAFT or WITHDRAWN; a commitment with NO_PROGRESS (no milestone that counts).',
});
