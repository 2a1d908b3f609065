import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { CommandInput, LiveArgs, PersonalDataAuthorizationInput } from '#platform';
import {
  AnswerStateEnum,
  EvaluationTargetKindEnum,
  ModerationStateEnum,
  ReportReasonEnum,
} from '../models/evaluation.enums.js';

@InputType('EvaluationTargetInput', {
  description:
    'COMMITMENT needs commitmentId; MILESTONE commitmentId and milestoneId; DIALOGUE_SPACE ' +
    'dialogueSpaceId.',
})
export class EvaluationTargetInput {
  @Field(() => EvaluationTargetKindEnum) kind: EvaluationTargetKindEnum;
  @Field({ nullable: true }) commitmentId?: string;
  @Field({ nullable: true }) milestoneId?: string;
  @Field({ nullable: true }) dialogueSpaceId?: string;
}

@InputType('EvaluationRatingsInput', { description: 'Each from 1 to 5; at least one.' })
export class EvaluationRatingsInput {
  @Field(() => Int, { nullable: true }) clarity?: number;
  @Field(() => Int, { nullable: true }) progress?: number;
  @Field(() => Int, { nullable: true }) dialogueUsefulness?: number;
}

@InputType()
export class SubmitEvaluationInput extends CommandInput {
  @Field({ description: 'A new id the client chooses (a UUID fits).' }) evaluationId: string;
  @Field(() => EvaluationTargetInput) target: EvaluationTargetInput;
  @Field(() => EvaluationRatingsInput) ratings: EvaluationRatingsInput;
  @Field({ description: "A territory id from the jurisdiction's list, e.g. ucg-3." })
  territory: string;
  @Field({ nullable: true, description: 'Personal data: public unless moderated.' })
  comment?: string;
  @Field({
    nullable: true,
    description: 'Personal data: to receive the answer by another channel.',
  })
  contact?: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Self-declared inclusion groups: sensitive personal data, needs authorization.',
  })
  groups?: string[];
  @Field(() => PersonalDataAuthorizationInput, {
    nullable: true,
    description: 'The authorization given for personal data (Ley 1581): required with groups.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonalDataAuthorizationInput)
  authorization?: PersonalDataAuthorizationInput;
}

@InputType()
export class AnswerEvaluationInput extends CommandInput {
  @Field() evaluationId: string;
  @Field({ description: 'The official answer; a later one supersedes it.' }) answer: string;
}

@InputType()
export class ReportEvaluationInput extends CommandInput {
  @Field() evaluationId: string;
  @Field(() => ReportReasonEnum) reason: ReportReasonEnum;
}

@InputType()
export class HideEvaluationInput extends CommandInput {
  @Field() evaluationId: string;
  @Field(() => ReportReasonEnum, { description: 'What the placeholder shows.' })
  category: ReportReasonEnum;
  @Field() reason: string;
}

@InputType()
export class RestoreEvaluationInput extends CommandInput {
  @Field() evaluationId: string;
  @Field() reason: string;
}

@InputType('EvaluationFilterInput', { description: 'Every part given must match.' })
export class EvaluationFilterInput {
  @Field(() => EvaluationTargetKindEnum, { nullable: true })
  @IsOptional()
  @IsEnum(EvaluationTargetKindEnum)
  targetKind?: EvaluationTargetKindEnum;
  @Field({ nullable: true }) @IsOptional() @IsString() commitmentId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() milestoneId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() dialogueSpaceId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() territory?: string;
  @Field(() => AnswerStateEnum, { nullable: true })
  @IsOptional()
  @IsEnum(AnswerStateEnum)
  answerState?: AnswerStateEnum;
  @Field(() => ModerationStateEnum, { nullable: true })
  @IsOptional()
  @IsEnum(ModerationStateEnum)
  moderationState?: ModerationStateEnum;
}

@ArgsType()
export class EvaluationPageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field(() => String, { nullable: true }) @IsOptional() @IsString() after?: string | null;
}

@ArgsType()
export class EvaluationsArgs extends EvaluationPageArgs {
  @Field(() => EvaluationFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvaluationFilterInput)
  filter?: EvaluationFilterInput;
}

@ArgsType()
export class EvaluationActivityArgs extends LiveArgs {
  @Field({ description: 'The commitment id.' }) @IsString() commitmentId: string;
}
