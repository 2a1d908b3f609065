import { registerEnumType } from '@nestjs/graphql';

// GraphQL enums in the usual upper case; their values are the domain's words.

export enum EvaluationTargetKindEnum {
  COMMITMENT = 'commitment',
  MILESTONE = 'milestone',
  DIALOGUE_SPACE = 'dialogue_space',
}
registerEnumType(EvaluationTargetKindEnum, {
  name: 'EvaluationTargetKind',
  description: 'What an evaluation is about.',
});

export enum AnswerStateEnum {
  PENDING = 'pending',
  ANSWERED = 'answered',
  OVERDUE = 'overdue',
}
registerEnumType(AnswerStateEnum, {
  name: 'AnswerState',
  description:
    'PENDING: not answered and within its 15 Colombian business days; ANSWERED: it has an ' +
    'official answer; OVERDUE: not answered and its due date has passed.',
});

export enum ModerationStateEnum {
  VISIBLE = 'visible',
  HIDDEN = 'hidden',
}
registerEnumType(ModerationStateEnum, {
  name: 'ModerationState',
  description: 'HIDDEN evaluations read as a placeholder; nothing is ever deleted.',
});

export enum ReportReasonEnum {
  SPAM = 'spam',
  OFFENSIVE = 'offensive',
  EXPOSES_PERSONAL_DATA = 'exposes_personal_data',
  OFF_TOPIC = 'off_topic',
}
registerEnumType(ReportReasonEnum, {
  name: 'ReportReason',
  description: 'Why an evaluation is reported, and the category a hidden one shows.',
});
