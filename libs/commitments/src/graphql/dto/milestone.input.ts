import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { EvidenceKindEnum } from '../models/enums.js';
import { CommandInput } from '#platform';

@InputType({ description: 'A link or a document, identified by the SHA-256 of its bytes.' })
export class EvidenceInput {
  @Field(() => EvidenceKindEnum) @IsEnum(EvidenceKindEnum) kind: EvidenceKindEnum;
  @Field({ description: '64 hexadecimal digits.' }) @IsString() sha256: string;
  @Field({ description: 'e.g. application/pdf' }) @IsString() mediaType: string;
  @Field() @IsString() description: string;
  @Field({ nullable: true, description: 'For a link.' }) @IsOptional() @IsString() url?: string;
  @Field({ nullable: true, description: 'For a document.' })
  @IsOptional()
  @IsString()
  fileName?: string;
}

@InputType()
export class AddMilestoneInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field({ description: 'Chosen by the caller; unique within the commitment.' })
  @IsString()
  milestoneId: string;
  @Field() @IsString() title: string;
  @Field() @IsString() responsibleOffice: string;
  @Field({ description: 'A month (YYYY-MM) or a day (YYYY-MM-DD).' })
  @IsString()
  plannedStart: string;
  @Field({ description: 'A month (YYYY-MM) or a day (YYYY-MM-DD).' })
  @IsString()
  plannedEnd: string;
}

@InputType()
export class RescheduleMilestoneInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field() @IsString() milestoneId: string;
  @Field() @IsString() plannedStart: string;
  @Field() @IsString() plannedEnd: string;
  @Field({ description: 'Why the dates move: required.' }) @IsString() reason: string;
}

@InputType()
export class ReportProgressInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field() @IsString() milestoneId: string;
  @Field(() => Int, { description: 'Whole percent, 0 to 100.' }) @IsInt() percent: number;
  @Field({ nullable: true }) @IsOptional() @IsString() note?: string;

  @Field(() => [EvidenceInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => EvidenceInput)
  evidence?: EvidenceInput[];
}

@InputType()
export class CompleteMilestoneInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field() @IsString() milestoneId: string;
  @Field({ nullable: true }) @IsOptional() @IsString() note?: string;

  @Field(() => [EvidenceInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => EvidenceInput)
  evidence?: EvidenceInput[];
}

@InputType()
export class CancelMilestoneInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field() @IsString() milestoneId: string;
  @Field() @IsString() reason: string;
}
