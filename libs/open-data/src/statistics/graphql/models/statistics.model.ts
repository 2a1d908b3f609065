import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

// GraphQL enums in upper case; their values are the domain's words.

export enum StatisticsGroupingEnum {
  LOCALIDAD = 'localidad',
  UCG = 'ucg',
  CORREGIMIENTO = 'corregimiento',
  INCLUSION_GROUP = 'inclusion_group',
  AGENCY = 'agency',
  STATUS = 'status',
}
registerEnumType(StatisticsGroupingEnum, {
  name: 'StatisticsGrouping',
  description:
    "What a statistics table groups by: the jurisdiction's localidades, Unidades Comuneras de " +
    'Gobierno (UCG, the comunas) or corregimientos; the inclusion groups commitments are aimed ' +
    "at; the lead agency; or the commitment's status.",
});

export enum SuppressionReasonEnum {
  FEWER_THAN_MINIMUM = 'fewer_than_minimum',
  SECONDARY = 'secondary',
}
registerEnumType(SuppressionReasonEnum, {
  name: 'SuppressionReason',
  description:
    'FEWER_THAN_MINIMUM: the figure describes fewer people than Statistics.minimumPeople. ' +
    'SECONDARY: it would let someone subtract their way to a figure withheld for that reason.',
});

@ObjectType('StatisticCell', {
  description:
    'A figure about people: its value, or, when it describes too few people to be shown ' +
    'without risk of identifying someone, suppressed: true, a null value and the reason.',
})
export class StatisticCellModel {
  @Field(() => Float, {
    nullable: true,
    description: 'The figure; null when suppressed, or when there is nothing to compute.',
  })
  value: number | null;
  @Field() suppressed: boolean;
  @Field(() => SuppressionReasonEnum, { nullable: true }) reason: SuppressionReasonEnum | null;
}

@ObjectType('StatusCount')
export class StatusCountModel {
  @Field({ description: "The status, in the API's lower-case words (in_progress)." })
  status: string;
  @Field(() => Int) count: number;
}

@ObjectType('ThingStatistics', {
  description:
    'Commitments or milestones: things, not people, so never suppressed. On time and late ' +
    'compare the completion day (Bogotá) with the end date; overdue are still open after it.',
})
export class ThingStatisticsModel {
  @Field(() => Int) total: number;
  @Field(() => [StatusCountModel]) byStatus: StatusCountModel[];
  @Field(() => Int) completedOnTime: number;
  @Field(() => Int) completedLate: number;
  @Field(() => Int) overdue: number;
}

@ObjectType('EvaluationStatistics', {
  description:
    "Citizens' evaluations (hidden ones left out): figures about people, each suppressed " +
    'below the minimum of the people it describes.',
})
export class EvaluationStatisticsModel {
  @Field(() => StatisticCellModel) count: StatisticCellModel;
  @Field(() => StatisticCellModel, { description: 'Mean clarity rating, 1 to 5.' })
  meanClarity: StatisticCellModel;
  @Field(() => StatisticCellModel, { description: 'Mean progress rating, 1 to 5.' })
  meanProgress: StatisticCellModel;
  @Field(() => StatisticCellModel, { description: 'Mean dialogue usefulness rating, 1 to 5.' })
  meanDialogueUsefulness: StatisticCellModel;
  @Field(() => StatisticCellModel, { description: 'Answered evaluations over all, 0 to 1.' })
  shareAnswered: StatisticCellModel;
  @Field(() => StatisticCellModel, {
    description: 'Median days (fractional) from submission to the answer, over answered ones.',
  })
  medianDaysToAnswer: StatisticCellModel;
}

@ObjectType('DialogueSpaceStatistics', {
  description: 'Dialogue spaces: things, never suppressed.',
})
export class DialogueSpaceStatisticsModel {
  @Field(() => Int) total: number;
  @Field(() => [StatusCountModel]) byStatus: StatusCountModel[];
  @Field(() => Int, { description: 'Held spaces whose attendance is recorded.' })
  withAttendance: number;
}

@ObjectType('AttendanceStatistics', {
  description: 'Attendance of held spaces: about people, suppressed below the minimum attendees.',
})
export class AttendanceStatisticsModel {
  @Field(() => StatisticCellModel, { description: 'Attendees, summed over the spaces.' })
  total: StatisticCellModel;
  @Field(() => StatisticCellModel, { description: 'Mean attendees per space with attendance.' })
  meanPerSpace: StatisticCellModel;
}

@ObjectType('StatisticsGroup')
export class StatisticsGroupModel {
  @Field(() => String, {
    nullable: true,
    description:
      'The group: a territory id, an inclusion group, an agency id or a status; null for what ' +
      'states none (no territory of that kind, no inclusion group, no commitment).',
  })
  key: string | null;
  @Field(() => String, { nullable: true, description: "The group's name, where it has one." })
  label: string | null;
  @Field(() => ThingStatisticsModel) commitments: ThingStatisticsModel;
  @Field(() => ThingStatisticsModel) milestones: ThingStatisticsModel;
  @Field(() => EvaluationStatisticsModel) evaluations: EvaluationStatisticsModel;
  @Field(() => DialogueSpaceStatisticsModel) dialogueSpaces: DialogueSpaceStatisticsModel;
  @Field(() => AttendanceStatisticsModel) attendance: AttendanceStatisticsModel;
}

@ObjectType('Statistics', {
  description:
    'Figures grouped one way. A commitment in several territories or aimed at several groups ' +
    'counts in each, so groups may add up to more than the total.',
})
export class StatisticsModel {
  @Field(() => StatisticsGroupingEnum) groupBy: StatisticsGroupingEnum;
  @Field({ description: "The day (YYYY-MM-DD, Bogotá) 'overdue' is measured against." })
  asOf: string;
  @Field(() => Int, {
    description: 'The fewest people a published figure may describe; fewer are suppressed.',
  })
  minimumPeople: number;
  @Field(() => [StatisticsGroupModel]) groups: StatisticsGroupModel[];
  @Field(() => StatisticsGroupModel, { description: 'Everything the filter covers, ungrouped.' })
  total: StatisticsGroupModel;
}
