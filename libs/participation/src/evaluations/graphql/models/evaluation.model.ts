import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from '#platform';
import {
  AnswerStateEnum,
  EvaluationTargetKindEnum,
  ModerationStateEnum,
  ReportReasonEnum,
} from './evaluation.enums.js';

@ObjectType('EvaluationTarget')
export class EvaluationTargetModel {
  @Field(() => EvaluationTargetKindEnum) kind: EvaluationTargetKindEnum;
  @Field(() => String, { nullable: true }) commitmentId: string | null;
  @Field(() => String, { nullable: true }) milestoneId: string | null;
  @Field(() => String, { nullable: true }) dialogueSpaceId: string | null;
}

@ObjectType('EvaluationRatings', { description: 'From 1 to 5; null where not rated.' })
export class EvaluationRatingsModel {
  @Field(() => Int, { nullable: true, description: 'Clarity of the information.' })
  clarity: number | null;
  @Field(() => Int, { nullable: true }) progress: number | null;
  @Field(() => Int, { nullable: true, description: 'Usefulness of the dialogue.' })
  dialogueUsefulness: number | null;
}

@ObjectType('EvaluationAnswer', { description: 'The latest official answer.' })
export class EvaluationAnswerModel {
  @Field() text: string;
  @Field(() => Date) answeredAt: Date;
  @Field(() => String, { nullable: true, description: 'The answering agency.' })
  agencyId: string | null;
}

@ObjectType('EvaluationModeration')
export class EvaluationModerationModel {
  @Field(() => ModerationStateEnum) state: ModerationStateEnum;
  @Field(() => ReportReasonEnum, { nullable: true }) category: ReportReasonEnum | null;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Hidden automatically after enough reports, pending review.',
  })
  automatic: boolean | null;
  @Field(() => Date, { nullable: true }) hiddenAt: Date | null;
}

@ObjectType('Evaluation', {
  description:
    "A citizen's evaluation of a commitment, a milestone or a dialogue space. A hidden one " +
    'keeps its place: `placeholder` says when and why, and its ratings and comment are null.',
})
export class EvaluationModel {
  @Field(() => ID) id: string;
  @Field(() => EvaluationTargetModel) target: EvaluationTargetModel;
  @Field({ description: "A territory id from the jurisdiction's list." }) territory: string;
  @Field(() => EvaluationRatingsModel, { nullable: true, description: 'Null while hidden.' })
  ratings: EvaluationRatingsModel | null;
  @Field(() => Date) submittedAt: Date;
  @Field({ description: 'Last day of the 15 Colombian business days to answer (YYYY-MM-DD).' })
  dueDate: string;
  @Field(() => AnswerStateEnum) answerState: AnswerStateEnum;
  @Field(() => EvaluationAnswerModel, { nullable: true }) answer: EvaluationAnswerModel | null;
  @Field(() => Int, { description: 'Official answers given; the latest supersedes the others.' })
  answers: number;
  @Field(() => Int) reports: number;
  @Field(() => EvaluationModerationModel) moderation: EvaluationModerationModel;
  @Field(() => String, {
    nullable: true,
    description: 'For a hidden evaluation: "moderated on <date>: <category>".',
  })
  placeholder: string | null;
  @Field(() => Int) version: number;
  /** The comment's, contact's and groups' placeholders (never values), for their fields. */
  personal: { comment: unknown; contact: unknown; groups: unknown };
  agencyId: string | null;
  hidden: boolean;
}

@ObjectType('EvaluationEdge')
export class EvaluationEdgeModel {
  @Field() cursor: string;
  @Field(() => EvaluationModel) node: EvaluationModel;
}

@ObjectType('EvaluationRatingsSummary', {
  description: "The matching evaluations' average ratings; hidden ones are left out.",
})
export class EvaluationRatingsSummaryModel {
  @Field(() => Int) count: number;
  @Field(() => Int) hidden: number;
  @Field(() => Float, { nullable: true }) clarity: number | null;
  @Field(() => Float, { nullable: true }) progress: number | null;
  @Field(() => Float, { nullable: true }) dialogueUsefulness: number | null;
}

@ObjectType('EvaluationConnection')
export class EvaluationConnectionModel {
  @Field(() => [EvaluationEdgeModel]) edges: EvaluationEdgeModel[];
  @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  /** Computed only when asked for. */
  count: () => Promise<number>;
  summary: () => Promise<EvaluationRatingsSummaryModel>;
}

@ObjectType('EvaluationActivity', {
  description: 'A new evaluation or a new official answer on a commitment.',
})
export class EvaluationActivityModel {
  @Field({ description: 'EvaluationSubmitted or EvaluationAnswered.' }) type: string;
  @Field(() => Int) position: number;
  @Field(() => EvaluationModel) evaluation: EvaluationModel;
}
