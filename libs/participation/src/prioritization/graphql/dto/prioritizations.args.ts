import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsDate, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

@ArgsType()
export class PrioritizationsArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field({ nullable: true, description: 'The endCursor of the page before.' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ArgsType()
export class PrioritizationArgs {
  @Field() @IsString() id: string;

  @Field(() => Date, {
    nullable: true,
    description: 'The exercise as it stood at this business time (its events up to it).',
  })
  @IsOptional()
  @IsDate()
  asOf?: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'The exercise as the log recorded it by this time.',
  })
  @IsOptional()
  @IsDate()
  knownAt?: Date;
}

@ArgsType()
export class PrioritizationHistoryArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsInt()
  @Min(1, { message: 'must be 1 or more' })
  @Max(100, { message: 'must be 100 or less' })
  first: number;

  @Field({ nullable: true }) @IsOptional() @IsString() after?: string;
}
