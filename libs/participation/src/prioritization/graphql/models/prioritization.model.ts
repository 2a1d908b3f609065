import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoModel } from '#platform';

export enum PrioritizationStatusEnum {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(PrioritizationStatusEnum, {
  name: 'PrioritizationStatus',
  description: 'OPEN until a steward records the result at or after the closing time; then CLOSED.',
});

@ObjectType('PrioritizationTopic', { description: 'A candidate topic of a prioritization.' })
export class PrioritizationTopicModel {
  @Field() id: string;
  @Field() title: string;
}

@ObjectType('PrioritizationStanding', { description: "One topic's line in a Borda count." })
export class PrioritizationStandingModel {
  @Field() topicId: string;
  @Field() title: string;
  @Field(() => Int, { description: 'Its Borda points: n - r for each ballot placing it r-th.' })
  points: number;
  @Field(() => Int, { description: 'Ballots that put it first: the first tie-break.' })
  firstPlaces: number;
  @Field(() => Int, { description: '1 + the topics strictly ahead of it; equal topics share it.' })
  rank: number;
}

@ObjectType('PrioritizationResult', {
  description: 'The result recorded when the exercise closed, computed from the log.',
})
export class PrioritizationResultModel {
  @Field(() => Date) closedAt: Date;
  @Field(() => [String], {
    description: "The BallotCast events counted: each participant's last ballot, in log order.",
  })
  countedBallots: string[];
  @Field(() => [PrioritizationStandingModel]) standings: PrioritizationStandingModel[];
}

@ObjectType('Prioritization', {
  description:
    'A topic prioritization exercise: candidate topics, a voting window, and ranked ballots ' +
    'counted with the published method.',
})
export class PrioritizationModel {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field() agencyId: string;
  @Field(() => String, { nullable: true }) commitmentId: string | null;
  @Field(() => String, { nullable: true }) milestoneId: string | null;
  @Field(() => [PrioritizationTopicModel], { description: 'In their published order.' })
  topics: PrioritizationTopicModel[];
  @Field(() => Date) opensAt: Date;
  @Field(() => Date) closesAt: Date;
  @Field({ description: 'The counting method: borda.' }) method: string;
  @Field({ description: 'The counting rule as published with the exercise.' })
  methodRule: string;
  @Field(() => PrioritizationStatusEnum) status: PrioritizationStatusEnum;
  @Field(() => Int, { description: 'Ballots cast, replacements included.' }) ballotsCast: number;
  @Field(() => Int, { description: 'Participants with a ballot: the ballots that count.' })
  participants: number;
  @Field(() => PrioritizationResultModel, {
    nullable: true,
    description: 'The recorded result, once closed; null while open.',
  })
  result: PrioritizationResultModel | null;
  @Field(() => Int, { description: 'The stream version shown.' }) version: number;
}

@ObjectType('PrioritizationEdge')
export class PrioritizationEdgeModel {
  @Field() cursor: string;
  @Field(() => PrioritizationModel) node: PrioritizationModel;
}

@ObjectType('PrioritizationConnection', { description: 'Newest first.' })
export class PrioritizationConnectionModel {
  @Field(() => [PrioritizationEdgeModel]) edges: PrioritizationEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  @Field(() => Int) totalCount: number | Promise<number>;
}
