import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { CommandInput } from '#platform';
import { ActionPlanStatusEnum } from '../models/enums.js';

@InputType()
export class RegisterActionPlanInput extends CommandInput {
  @Field({ description: 'Chosen by the caller: the id its commitments name as actionPlanId.' })
  @IsString()
  actionPlanId: string;
  @Field({ description: 'e.g. Distrito de Cartagena de Indias.' }) @IsString() jurisdiction: string;
  @Field() @IsString() title: string;
  @Field({ description: 'YYYY-MM-DD' }) @IsString() periodStart: string;
  @Field({ description: 'YYYY-MM-DD, not before periodStart.' }) @IsString() periodEnd: string;
  @Field({ description: 'The OGP cycle, e.g. OGP Local 2022-2023.' }) @IsString() ogpCycle: string;
  @Field(() => ActionPlanStatusEnum, {
    nullable: true,
    description: 'DRAFT unless given; NOT_REGISTERED is refused.',
  })
  @IsOptional()
  @IsEnum(ActionPlanStatusEnum)
  status?: ActionPlanStatusEnum;
}

@InputType({ description: 'The fields to change; leave the others out.' })
export class ActionPlanChangesInput {
  @Field({ nullable: true }) @IsOptional() @IsString() jurisdiction?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() periodStart?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() periodEnd?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() ogpCycle?: string;
  @Field(() => ActionPlanStatusEnum, {
    nullable: true,
    description: 'Forward only: DRAFT, IN_IMPLEMENTATION, COMPLETED; WITHDRAWN before completion.',
  })
  @IsOptional()
  @IsEnum(ActionPlanStatusEnum)
  status?: ActionPlanStatusEnum;
}

@InputType()
export class ReviseActionPlanInput extends CommandInput {
  @Field() @IsString() actionPlanId: string;
  @Field(() => ActionPlanChangesInput)
  @ValidateNested()
  @Type(() => ActionPlanChangesInput)
  changes: ActionPlanChangesInput;
  @Field({ description: 'Why: required.' }) @IsString() reason: string;
}

@InputType()
export class CommitmentWeightInput {
  @Field() @IsString() commitmentId: string;
  @Field(() => Int, { description: 'A whole number from 1 to 1000.' }) @IsInt() weight: number;
}

@InputType()
export class SetCommitmentWeightsInput extends CommandInput {
  @Field() @IsString() actionPlanId: string;
  @Field(() => [CommitmentWeightInput], {
    description: 'The commitments to weigh; the others keep their weight (1 unless set).',
  })
  @ValidateNested({ each: true })
  @Type(() => CommitmentWeightInput)
  weights: CommitmentWeightInput[];
  @Field({ description: 'Why: required.' }) @IsString() reason: string;
}

@InputType()
export class MilestoneWeightInput {
  @Field() @IsString() milestoneId: string;
  @Field(() => Int, { description: 'A whole number from 1 to 1000.' }) @IsInt() weight: number;
}

@InputType()
export class SetMilestoneWeightsInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field(() => [MilestoneWeightInput], {
    description: 'The milestones to weigh; the others keep their weight (1 unless set).',
  })
  @ValidateNested({ each: true })
  @Type(() => MilestoneWeightInput)
  weights: MilestoneWeightInput[];
  @Field({ description: 'Why: required.' }) @IsString() reason: string;
}

@ArgsType()
export class ActionPlansArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ArgsType()
export class ActionPlanArgs {
  @Field(() => String) @IsString() id: string;
}

@ArgsType()
export class ActionPlanCommitmentsArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;
}
