import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DialogueSpaceKindEnum, DialogueSpaceStatusEnum } from '../models/dialogue.enums.js';

const MIN_POSITION =
  "Wait until the read models hold the log up to this position (a mutation result's " +
  'position) before reading; one they do not reach in time is READ_MODEL_BEHIND.';

@InputType({ description: 'Every given member must match.' })
export class DialogueSpaceFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() commitmentId?: string;
  @Field(() => DialogueSpaceKindEnum, { nullable: true })
  @IsOptional()
  @IsEnum(DialogueSpaceKindEnum)
  kind?: DialogueSpaceKindEnum;
  @Field(() => DialogueSpaceStatusEnum, { nullable: true })
  @IsOptional()
  @IsEnum(DialogueSpaceStatusEnum)
  status?: DialogueSpaceStatusEnum;
  @Field({ nullable: true }) @IsOptional() @IsString() territoryId?: string;
}

@ArgsType()
export class DialogueSpacesArgs {
  @Field(() => DialogueSpaceFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DialogueSpaceFilterInput)
  filter?: DialogueSpaceFilterInput;

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
export class DialogueSpaceArgs {
  @Field() @IsString() id: string;

  @Field(() => Date, {
    nullable: true,
    description: 'Show the space as it was on this date (business time).',
  })
  @IsOptional()
  @IsDate()
  asOf?: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Show what the public record said on this date (events recorded by then).',
  })
  @IsOptional()
  @IsDate()
  knownAt?: Date;

  @Field(() => Int, { nullable: true, description: 'Show the space after that many events.' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  atVersion?: number;

  @Field(() => Int, { nullable: true, description: MIN_POSITION })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  minPosition?: number;
}

@ArgsType()
export class DialogueHistoryArgs {
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
