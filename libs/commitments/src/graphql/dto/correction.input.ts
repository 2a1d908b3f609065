import { Field, InputType } from '@nestjs/graphql';
import { IsObject, IsOptional, IsString } from 'class-validator';
import { CommandInput, JSONObjectScalar } from '#platform';

@InputType()
export class CorrectEventInput extends CommandInput {
  @Field() @IsString() commitmentId: string;
  @Field({ description: 'The id of the event to supersede.' }) @IsString() eventId: string;
  @Field() @IsString() reason: string;

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description:
      "The fields of that event's data to change (null removes an optional field). " +
      'Without it, the event is retracted.',
  })
  @IsOptional()
  @IsObject()
  corrected?: Record<string, unknown>;
}
