import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
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
import { CommitmentStatusEnum, OgpValueEnum } from '../models/enums.js';

const MIN_POSITION =
  'Read your writes: answer only once the read models hold the event at this global ' +
  'position (one a mutation returned), waiting up to the time the server allows ' +
  '(CUENTA_READ_WAIT_MS). READ_MODELS_BEHIND when they do not in time; a position the log ' +
  'does not hold yet is INVALID_INPUT. The X-Cuenta-Min-Position header does the same for ' +
  'every commitment and commitments field of a request.';

@InputType({ description: 'Every part given must match.' })
export class CommitmentFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() actionPlanId?: string;

  @Field(() => [CommitmentStatusEnum], { nullable: true, description: 'Any of these.' })
  @IsOptional()
  @IsEnum(CommitmentStatusEnum, { each: true })
  status?: CommitmentStatusEnum[];

  @Field({ nullable: true, description: "The lead agency's name (letter case ignored)." })
  @IsOptional()
  @IsString()
  leadAgency?: string;

  @Field({
    nullable: true,
    description: "The lead agency's id, e.g. secretaria-de-planeacion (letter case ignored).",
  })
  @IsOptional()
  @IsString()
  leadAgencyId?: string;

  @Field({ nullable: true }) @IsOptional() @IsString() policyArea?: string;

  @Field(() => OgpValueEnum, { nullable: true })
  @IsOptional()
  @IsEnum(OgpValueEnum)
  ogpValue?: OgpValueEnum;

  @Field({ nullable: true, description: 'A localidad, comuna/UCG or corregimiento.' })
  @IsOptional()
  @IsString()
  territory?: string;

  @Field({
    nullable: true,
    description:
      'Words that must all appear in the code, title, agency, stakeholders, narrative or ' +
      'policy areas (letter case and accents ignored).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;
}

@ArgsType()
export class CommitmentsArgs {
  @Field(() => CommitmentFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommitmentFilterInput)
  filter?: CommitmentFilterInput;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;

  @Field(() => Int, {
    nullable: true,
    description: MIN_POSITION,
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  minPosition?: number;
}

@ArgsType()
export class CommitmentArgs {
  @Field(() => String, { nullable: true, description: 'The commitment id; or give code.' })
  @IsOptional()
  @IsString()
  id?: string;

  @Field(() => String, { nullable: true, description: 'The code, e.g. CartagenaCuenta-2023.' })
  @IsOptional()
  @IsString()
  code?: string;

  @Field(() => Date, {
    nullable: true,
    description:
      'Show the commitment as it was on this date (business time): fold the events that ' +
      'happened at or before it.',
  })
  @IsOptional()
  @IsDate()
  asOf?: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      'Show what the public record said on this date: fold the events recorded at or before ' +
      'it. With asOf: what the record said on knownAt about the commitment on asOf.',
  })
  @IsOptional()
  @IsDate()
  knownAt?: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'Show the commitment at this version of its stream (after that many events).',
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  atVersion?: number;

  @Field(() => Int, {
    nullable: true,
    description: MIN_POSITION,
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  minPosition?: number;
}

@ArgsType()
export class HistoryArgs {
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
