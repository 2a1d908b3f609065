import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EventActorModel } from '#event-store';
import { JSONScalar, PageInfoModel } from '#platform';

export enum ViewSourceEnum {
  READ_MODEL = 'read_model',
  LOG = 'log',
}
registerEnumType(ViewSourceEnum, {
  name: 'ViewSource',
  description:
    '`READ_MODEL`: the current state as projected (it may trail the log by a moment); ' +
    "`LOG`: folded from the commitment's events just now, as a time travel asks.",
});

@ObjectType('CommitmentView', {
  description: 'Which version of the commitment is shown, and as of when.',
})
export class CommitmentViewModel {
  @Field(() => ViewSourceEnum) source: ViewSourceEnum;
  @Field(() => Int, { description: 'The highest stream version folded into what is shown.' })
  version: number;
  @Field(() => Int, {
    nullable: true,
    description: "The stream's version now (null when shown from the read model).",
  })
  latestVersion: number | null;
  @Field(() => Date, { nullable: true, description: 'The business date asked for.' })
  asOf: Date | null;
  @Field(() => Date, { nullable: true, description: 'The record date asked for.' })
  knownAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'The stream version asked for.' })
  atVersion: number | null;
  @Field(() => Int, {
    description:
      'Retroactive changes: events about the time shown (business time at or before asOf) that ' +
      'were recorded after the record date shown (knownAt, else asOf). With knownAt they are ' +
      'left out of what is shown; with asOf alone they are in it. 0: the record of that time ' +
      'says what is shown.',
  })
  recordedLater: number;
}

@ObjectType('FieldChange', {
  description:
    'One changed field. path is a JSON Pointer into the Commitment as this API returns it: ' +
    'its field names, milestones and budget lines by id, evidence by position under its ' +
    'milestone (/milestones/m3/plannedEnd, /budget/rubro-1/executed, ' +
    '/milestones/m3/evidence/0); before and after are values as the API shows them (enum ' +
    'values such as IN_PROGRESS, DateTime as ISO 8601 text), null where the field is null ' +
    'or absent. Not in it: version, view, history, and the evidence list the milestones ' +
    'already hold.',
})
export class FieldChangeModel {
  @Field() path: string;
  @Field(() => JSONScalar, { nullable: true }) before: unknown;
  @Field(() => JSONScalar, { nullable: true }) after: unknown;
}

@ObjectType('HistoryEntry', { description: 'One change of a commitment: one event of its stream.' })
export class HistoryEntryModel {
  @Field() eventId: string;
  @Field({ description: 'The event type, e.g. MilestoneRescheduled.' }) type: string;
  @Field(() => Int, { description: 'Global position in the log: what inclusion proofs take.' })
  position: number;
  @Field(() => Int) streamVersion: number;
  @Field(() => EventActorModel, { nullable: true }) actor: EventActorModel | null;
  @Field(() => Date, { description: 'When it happened (business time).' }) occurredAt: Date;
  @Field(() => Date, { description: 'When it was recorded (server time).' }) recordedAt: Date;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => String, { nullable: true }) commandId: string | null;
  @Field(() => [FieldChangeModel], { description: 'The fields it changed, with before and after.' })
  changes: FieldChangeModel[] | Promise<FieldChangeModel[]>;
}

@ObjectType('HistoryEdge')
export class HistoryEdgeModel {
  @Field() cursor: string;
  @Field(() => HistoryEntryModel) node: HistoryEntryModel;
}

@ObjectType('HistoryConnection', { description: 'Newest first.' })
export class HistoryConnectionModel {
  @Field(() => [HistoryEdgeModel]) edges: HistoryEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  @Field(() => Int) totalCount: number | Promise<number>;
}
