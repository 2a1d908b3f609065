import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ChangeLogGroupByEnum } from '../models/audit-entry.model.js';

const MIN_POSITION =
  "Wait until the read models hold the log up to this position (a mutation result's " +
  'position) before reading; one they do not reach in time is READ_MODEL_BEHIND.';
const LIST = { message: 'must list at most 50 values' };

@InputType('AuditPeriod', {
  description: 'From (inclusive) to (exclusive); either may be left out.',
})
export class AuditPeriodInput {
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() from?: Date;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() to?: Date;
}

@InputType('AuditLogFilter', { description: 'Every given member must match.' })
export class AuditLogFilterInput {
  @Field(() => [String], {
    nullable: true,
    description:
      'Actor subjects (any of them). Only internal_control, oversight and administrator may ' +
      'filter by subject.',
  })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  actors?: string[];

  @Field(() => [String], { nullable: true, description: "Actors' agency ids (any of them)." })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  agencies?: string[];

  @Field(() => [String], { nullable: true, description: "Actors' roles (any of them)." })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  roles?: string[];

  @Field(() => [String], { nullable: true, description: 'Event types (any of them).' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  types?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Contexts (any of them): commitments, participation, ...',
  })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  contexts?: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Streams whose name starts with this, e.g. commitment-<id> for one commitment.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'must be 200 characters or fewer' })
  streamPrefix?: string;

  @Field(() => AuditPeriodInput, { nullable: true, description: 'When it was recorded.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditPeriodInput)
  recorded?: AuditPeriodInput;

  @Field(() => AuditPeriodInput, {
    nullable: true,
    description: 'When it happened (business time).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditPeriodInput)
  occurred?: AuditPeriodInput;

  @Field(() => Boolean, { nullable: true, description: 'Only retroactive changes.' })
  @IsOptional()
  @IsBoolean()
  retroactiveOnly?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only changes recorded without a reason.' })
  @IsOptional()
  @IsBoolean()
  withoutReasonOnly?: boolean;
}

@ArgsType()
export class AuditLogArgs {
  @Field(() => AuditLogFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditLogFilterInput)
  filter?: AuditLogFilterInput;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;

  @Field(() => Int, { nullable: true, description: MIN_POSITION })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  minPosition?: number;
}

@InputType('ChangeLogSummaryFilter', { description: 'Every given member must match.' })
export class ChangeLogSummaryFilterInput {
  @Field(() => AuditPeriodInput, {
    description: 'When the events were recorded: from and to are both required.',
  })
  @ValidateNested()
  @Type(() => AuditPeriodInput)
  recorded: AuditPeriodInput;

  @Field(() => [String], { nullable: true, description: 'Actor subjects (any of them).' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  actors?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  agencies?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  roles?: string[];

  @Field(() => [String], { nullable: true, description: 'Event types.' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50, LIST)
  types?: string[];
}

@ArgsType()
export class ChangeLogSummaryArgs {
  @Field(() => ChangeLogSummaryFilterInput)
  @ValidateNested()
  @Type(() => ChangeLogSummaryFilterInput)
  filter: ChangeLogSummaryFilterInput;

  @Field(() => [ChangeLogGroupByEnum], {
    description: 'What to group by; an empty list gives the total alone.',
  })
  @IsEnum(ChangeLogGroupByEnum, { each: true, message: 'must list ChangeLogGroupBy values' })
  groupBy: ChangeLogGroupByEnum[];

  @Field(() => Int, { nullable: true, description: MIN_POSITION })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  minPosition?: number;
}
