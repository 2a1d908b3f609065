import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { RecordedEvent } from '#event-store';
import { PageInfoModel } from '#platform';
import {
  DialogueChannelEnum,
  DialogueSpaceKindEnum,
  DialogueSpaceStatusEnum,
  ImprovementActionReportStatusEnum,
  ImprovementActionStatusEnum,
} from './dialogue.enums.js';

@ObjectType('DialogueMinutes', {
  description: 'The minutes of a held space: only their SHA-256 is in the log.',
})
export class DialogueMinutesModel {
  @Field() sha256: string;
  @Field() mediaType: string;
  @Field() url: string;
}

@ObjectType('AttendanceGroupCount', {
  description: 'How many attendees were of one category of a group (sex / female).',
})
export class AttendanceGroupCountModel {
  @Field({ description: 'sex, age_band, ethnic_group, disability, victims, or another.' })
  dimension: string;
  @Field() category: string;
  @Field(() => Int) count: number;
}

@ObjectType('AttendanceTerritoryCount')
export class AttendanceTerritoryCountModel {
  @Field() territoryId: string;
  @Field() territoryName: string;
  @Field(() => Int) count: number;
}

@ObjectType('Attendance', {
  description:
    'Who attended, as aggregate counts only (never names). Counts of one group may add up ' +
    'to less than the total: attendees may decline to say.',
})
export class AttendanceModel {
  @Field(() => Int) total: number;
  @Field(() => [AttendanceGroupCountModel]) byGroup: AttendanceGroupCountModel[];
  @Field(() => [AttendanceTerritoryCountModel]) byTerritory: AttendanceTerritoryCountModel[];
  @Field(() => DialogueMinutesModel, { nullable: true }) minutes: DialogueMinutesModel | null;
  @Field(() => Date) recordedAt: Date;
  @Field(() => Int, { description: 'How many times it was corrected (each with a reason).' })
  corrections: number;
}

@ObjectType('ImprovementActionEvidence')
export class ImprovementActionEvidenceModel {
  @Field() sha256: string;
  @Field() mediaType: string;
  @Field() url: string;
  @Field() description: string;
}

@ObjectType('ImprovementActionReport')
export class ImprovementActionReportModel {
  @Field(() => ImprovementActionReportStatusEnum) status: ImprovementActionReportStatusEnum;
  @Field(() => Int) percent: number;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => [ImprovementActionEvidenceModel]) evidence: ImprovementActionEvidenceModel[];
  @Field(() => Date) reportedAt: Date;
  @Field(() => String, { nullable: true }) reason: string | null;
}

@ObjectType('ImprovementAction', {
  description: 'What a dialogue space agreed on a commitment, tracked to completion.',
})
export class ImprovementActionModel {
  @Field() id: string;
  @Field() dialogueSpaceId: string;
  @Field() commitmentId: string;
  @Field() description: string;
  @Field() responsibleAgency: string;
  @Field({ description: 'YYYY-MM-DD.' }) dueDate: string;
  @Field(() => Date) agreedAt: Date;
  @Field(() => ImprovementActionStatusEnum) status: ImprovementActionStatusEnum;
  @Field(() => Int) percent: number;
  @Field(() => [ImprovementActionReportModel], { description: 'Oldest first.' })
  reports: ImprovementActionReportModel[];
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
  @Field(() => Date, { nullable: true }) cancelledAt: Date | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
}

@ObjectType('DialogueSpace', {
  description: 'A meeting, public hearing, forum or virtual session with citizens.',
})
export class DialogueSpaceModel {
  @Field() id: string;
  @Field(() => DialogueSpaceKindEnum) kind: DialogueSpaceKindEnum;
  @Field() title: string;
  @Field(() => DialogueSpaceStatusEnum) status: DialogueSpaceStatusEnum;
  @Field(() => Date, { description: 'When the notice was given.' }) convenedAt: Date;
  @Field(() => Date) startsAt: Date;
  @Field() place: string;
  @Field(() => DialogueChannelEnum) channel: DialogueChannelEnum;
  @Field(() => String, { nullable: true, description: 'Null: the whole district.' })
  territoryId: string | null;
  @Field(() => String, { nullable: true }) territoryName: string | null;
  @Field(() => [String]) agenda: string[];
  @Field(() => [String]) commitmentIds: string[];
  @Field({ description: "The commitments' lead agency, whose stewards record the space." })
  leadAgencyId: string;
  @Field(() => Date) recordedAt: Date;
  @Field(() => Date, { nullable: true }) heldAt: Date | null;
  @Field(() => Date, { nullable: true }) cancelledAt: Date | null;
  @Field(() => String, { nullable: true }) cancellationReason: string | null;
  @Field(() => AttendanceModel, { nullable: true }) attendance: AttendanceModel | null;
  @Field(() => [ImprovementActionModel], { description: 'In the order they were agreed.' })
  improvementActions: ImprovementActionModel[];
  @Field(() => Int, { description: 'Its stream version: the number of events folded.' })
  version: number;
  /** The events folded, on a time travel (the history is then theirs). */
  events?: RecordedEvent[];
}

@ObjectType('DialogueSpaceEdge')
export class DialogueSpaceEdgeModel {
  @Field() cursor: string;
  @Field(() => DialogueSpaceModel) node: DialogueSpaceModel;
}

@ObjectType('DialogueSpaceConnection', { description: 'Newest first, by when they meet.' })
export class DialogueSpaceConnectionModel {
  @Field(() => [DialogueSpaceEdgeModel]) edges: DialogueSpaceEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  /** How many spaces match the filter: counted only if the query selects `totalCount`. */
  count: () => Promise<number>;
}
