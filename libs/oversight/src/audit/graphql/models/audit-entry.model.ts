import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FieldChangeModel, PageInfoModel } from '#platform';

@ObjectType('AuditActor', {
  description:
    'Who recorded an event. subject is shown only to the internal_control, oversight and ' +
    'administrator roles; other callers get null (docs/security.md).',
})
export class AuditActorModel {
  @Field(() => String, { nullable: true }) subject: string | null;
  @Field() role: string;
  @Field(() => String, { nullable: true }) agency: string | null;
}

@ObjectType('AuditStream', { description: 'The stream an event belongs to.' })
export class AuditStreamModel {
  @Field({ description: 'The stream name in the log, e.g. commitment-<id>.' }) name: string;
  @Field(() => String, {
    nullable: true,
    description: 'Its kind, e.g. commitment (null for a stream no context describes).',
  })
  type: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The id of what it is about: the name without its kind prefix.',
  })
  id: string | null;
  @Field(() => String, { nullable: true, description: 'The context that keeps it.' })
  context: string | null;
}

@ObjectType('AuditSummary', { description: 'One line about the event.' })
export class AuditSummaryModel {
  @Field({ description: 'In Spanish.' }) es: string;
  @Field({ description: 'In English.' }) en: string;
}

@ObjectType('AuditEntry', {
  description:
    'One event of the log as the audit log shows it: who, when, why, what it changed, and ' +
    'its inclusion proof one field away.',
})
export class AuditEntryModel {
  @Field(() => Int, { description: 'Global position in the log: what inclusion proofs take.' })
  position: number;
  @Field() eventId: string;
  @Field({ description: 'The event type, e.g. MilestoneRescheduled.' }) type: string;
  @Field(() => AuditStreamModel) stream: AuditStreamModel;
  @Field(() => Int) streamVersion: number;
  @Field(() => AuditActorModel, { nullable: true, description: 'Null for a system event.' })
  actor: AuditActorModel | null;
  @Field(() => Date, { description: 'When it was recorded (server time).' }) recordedAt: Date;
  @Field(() => Date, { description: 'When it happened (business time).' }) occurredAt: Date;
  @Field(() => String, { nullable: true, description: 'The justification it was recorded with.' })
  reason: string | null;
  @Field({
    description:
      "Retroactive: its business time is earlier than its stream's previous change, or " +
      'earlier than its recording by more than the configured number of days.',
  })
  retroactive: boolean;
  @Field({ description: "Its business time is earlier than its stream's previous change." })
  beforePreviousChange: boolean;
  @Field(() => AuditSummaryModel) summary: AuditSummaryModel;
  @Field(() => [FieldChangeModel], {
    nullable: true,
    description:
      "The fields it changed, as JSON Pointers into the stream's state as the API shows it; " +
      'null for a stream without described state.',
  })
  changes: FieldChangeModel[] | null | Promise<FieldChangeModel[] | null>;
}

@ObjectType('AuditLogEdge')
export class AuditLogEdgeModel {
  @Field() cursor: string;
  @Field(() => AuditEntryModel) node: AuditEntryModel;
}

@ObjectType('AuditLogConnection', {
  description: 'Newest first: by recording time, then position.',
})
export class AuditLogConnectionModel {
  @Field(() => [AuditLogEdgeModel]) edges: AuditLogEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
}

export enum ChangeLogGroupByEnum {
  ACTOR = 'actor',
  AGENCY = 'agency',
  ROLE = 'role',
  EVENT_TYPE = 'type',
  MONTH = 'month',
}
registerEnumType(ChangeLogGroupByEnum, {
  name: 'ChangeLogGroupBy',
  description: 'What change-log counts are grouped by. MONTH: the UTC month of recording.',
});

@ObjectType('ChangeLogGroup', {
  description: 'The count of one group; a field not grouped by is null.',
})
export class ChangeLogGroupModel {
  @Field(() => String, { nullable: true, description: 'Actor subject.' }) actor: string | null;
  @Field(() => String, { nullable: true }) agency: string | null;
  @Field(() => String, { nullable: true }) role: string | null;
  @Field(() => String, { nullable: true, description: 'Event type.' }) type: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM (UTC).' }) month: string | null;
  @Field(() => Int) count: number;
}

@ObjectType('ChangeLogSummary', {
  description: 'Counts of the events recorded in a period, grouped.',
})
export class ChangeLogSummaryModel {
  @Field(() => Date) from: Date;
  @Field(() => Date) to: Date;
  @Field(() => [ChangeLogGroupByEnum]) groupBy: ChangeLogGroupByEnum[];
  @Field(() => Int, { description: 'Every event counted.' }) total: number;
  @Field(() => [ChangeLogGroupModel], { description: 'Ordered by the grouped fields.' })
  groups: ChangeLogGroupModel[];
}
