import { Field, Int, ObjectType } from '@nestjs/graphql';
import { EventActorModel } from '../events/event.models.js';
import { PageInfoModel } from '../pagination/page-info.model.js';
import { JSONScalar } from '../scalars/json.scalar.js';

// A stream's history as GraphQL shows it, for any stream type: its events newest first, each
// with who, when, why and the fields it changed. The descriptions name the commitment, the
// first stream type to show them; the schema keeps them as published.

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
