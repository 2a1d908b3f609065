import { registerEnumType } from '@nestjs/graphql';

// GraphQL enums in upper case; their values are the domain's words.

export enum DialogueSpaceKindEnum {
  MEETING = 'meeting',
  PUBLIC_HEARING = 'public_hearing',
  FORUM = 'forum',
  VIRTUAL_SESSION = 'virtual_session',
}
registerEnumType(DialogueSpaceKindEnum, {
  name: 'DialogueSpaceKind',
  description: 'A meeting, a public hearing (audiencia pública), a forum or a virtual session.',
});

export enum DialogueChannelEnum {
  IN_PERSON = 'in_person',
  ONLINE = 'online',
  HYBRID = 'hybrid',
}
registerEnumType(DialogueChannelEnum, { name: 'DialogueChannel' });

export enum DialogueSpaceStatusEnum {
  CONVENED = 'convened',
  HELD = 'held',
  CANCELLED = 'cancelled',
}
registerEnumType(DialogueSpaceStatusEnum, {
  name: 'DialogueSpaceStatus',
  description: 'Convened (notice given), held, or cancelled (with a reason).',
});

export enum ImprovementActionStatusEnum {
  AGREED = 'agreed',
  IN_PROGRESS = 'in_progress',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(ImprovementActionStatusEnum, { name: 'ImprovementActionStatus' });

export enum ImprovementActionReportStatusEnum {
  IN_PROGRESS = 'in_progress',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(ImprovementActionReportStatusEnum, {
  name: 'ImprovementActionReportStatus',
  description: 'What a progress report says of the action; COMPLETED and CANCELLED close it.',
});
