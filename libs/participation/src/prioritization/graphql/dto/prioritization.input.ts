import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, ValidateNested } from 'class-validator';
import { CommandInput } from '#platform';

@InputType({ description: 'A candidate topic: an id ballots name, and its title.' })
export class CandidateTopicInput {
  @Field({ description: '1 to 64 letters, digits, - or _; unique within the exercise.' })
  @IsString()
  id: string;
  @Field() @IsString() title: string;
}

@InputType()
export class OpenPrioritizationInput extends CommandInput {
  @Field({ description: 'Chosen by the caller: 1 to 64 letters, digits, - or _.' })
  @IsString()
  prioritizationId: string;
  @Field() @IsString() title: string;
  @Field({ nullable: true }) @IsOptional() @IsString() description?: string;
  @Field({ description: "The agency that runs it (a steward's token must name it)." })
  @IsString()
  agencyId: string;
  @Field({ nullable: true, description: 'The commitment it serves, if any.' })
  @IsOptional()
  @IsString()
  commitmentId?: string;
  @Field({ nullable: true, description: 'The milestone of that commitment it serves, if any.' })
  @IsOptional()
  @IsString()
  milestoneId?: string;

  @Field(() => [CandidateTopicInput], {
    description: '2 to 50 candidates, in the published order (which also breaks full ties).',
  })
  @ValidateNested({ each: true })
  @Type(() => CandidateTopicInput)
  topics: CandidateTopicInput[];

  @Field(() => Date, { description: 'Ballots are taken from this time...' })
  @IsDate()
  opensAt: Date;
  @Field(() => Date, { description: '...until this one (not included); then it can be closed.' })
  @IsDate()
  closesAt: Date;
  @Field({
    defaultValue: 'borda',
    description: 'The counting method: borda (the only one; see docs/participation.md).',
  })
  @IsString()
  method: string;
}

@InputType({
  description:
    "A participant's ranked ballot. Casting again replaces the earlier ballot; both stay in " +
    'the log. The ballot is recorded at the server time (occurredAt is not taken).',
})
export class CastBallotInput extends CommandInput {
  @Field() @IsString() prioritizationId: string;
  @Field(() => [String], {
    description: 'Candidate topic ids, most important first; some or all of them, each once.',
  })
  @IsString({ each: true })
  ranking: string[];
}

@InputType()
export class ClosePrioritizationInput extends CommandInput {
  @Field() @IsString() prioritizationId: string;
}
