import { Field, InputType, Int } from '@nestjs/graphql';
import { IsDate, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { COMMAND_ID, COMMAND_ID_RULE } from '../../commands/event-ids.js';

/** What every command input may carry besides its own fields. */
@InputType({ isAbstract: true })
export abstract class CommandInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Makes the mutation safe to retry: sending the same command with the same id again ' +
      'returns the first result and records nothing new. A UUID, or 1 to 128 letters, digits ' +
      'and . _ : -.',
  })
  @IsOptional()
  @Matches(COMMAND_ID, { message: COMMAND_ID_RULE })
  commandId?: string;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it happened (business time), if earlier than now: e.g. a report filed late. ' +
      'Defaults to now; never in the future.',
  })
  @IsOptional()
  @IsDate()
  occurredAt?: Date;

  @Field(() => Int, {
    nullable: true,
    description:
      "The commitment's version the client based the command on. When the commitment has " +
      'changed since, the mutation fails with VERSION_CONFLICT instead of applying to the ' +
      'newer state.',
  })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'must be 0 or more' })
  expectedVersion?: number;
}
