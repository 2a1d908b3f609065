import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

@InputType('ErasePersonalDataInput', {
  description:
    'Either `receipt` (the secret of a receipt: whoever holds it may erase) or `subjectId` ' +
    'and `reason` (an administrator, acting on a written request).',
})
export class ErasePersonalDataInput {
  @Field(() => String, { nullable: true, description: "The receipt's secret." })
  @IsOptional()
  @IsString()
  receipt?: string | null;

  @Field(() => ID, { nullable: true, description: 'The subject to erase (administrators).' })
  @IsOptional()
  @IsString()
  subjectId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Why (administrators): the written request's reference. Recorded in the log: never " +
      "the person's name.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string | null;
}
