import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CommandInput } from '#platform';
import { RULE_CODES } from '../../domain/index.js';
import { RedFlagStateEnum } from '../models/red-flag.model.js';

const AS_OF =
  'The time the time-dependent rules are judged at; default now. An answer for a given ' +
  'asOf depends on the log alone (the read cache keeps it); one judged at now is never cached.';

const MIN_POSITION =
  "Wait until the read models hold the log up to this position (a mutation result's " +
  'position) before reading; one they do not reach in time is READ_MODEL_BEHIND.';

@InputType({ description: 'Every given member must match.' })
export class RedFlagFilterInput {
  @Field({ nullable: true, description: 'A rule code: CF-01 ... CF-16.' })
  @IsOptional()
  @IsIn(RULE_CODES, { message: `must be one of ${RULE_CODES.join(', ')}` })
  rule?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) commitmentId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) agencyId?: string;
  @Field(() => RedFlagStateEnum, { nullable: true })
  @IsOptional()
  @IsEnum(RedFlagStateEnum)
  state?: RedFlagStateEnum;
}

@ArgsType()
export class RedFlagsArgs {
  @Field(() => RedFlagFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RedFlagFilterInput)
  filter?: RedFlagFilterInput;

  @Field(() => Date, { nullable: true, description: AS_OF })
  @IsOptional()
  @IsDate()
  asOf?: Date;

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

@ArgsType()
export class CommitmentRedFlagsArgs {
  @Field(() => Date, { nullable: true, description: AS_OF })
  @IsOptional()
  @IsDate()
  asOf?: Date;

  @Field(() => RedFlagStateEnum, { nullable: true })
  @IsOptional()
  @IsEnum(RedFlagStateEnum)
  state?: RedFlagStateEnum;
}

@InputType()
export class JustifyRedFlagInput extends CommandInput {
  @Field({ description: 'The flag: its id as redFlags shows it.' })
  @IsString()
  @MaxLength(400)
  flagId: string;

  @Field({
    description:
      'Why the flag is explained or accepted, shown beside it (at most 2000 characters).',
  })
  @IsString()
  reason: string;
}
