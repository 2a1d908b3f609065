import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('CommandEvent', {
  description:
    "An event a command appended: to the commitment's stream, or to a code's stream " +
    '(`commitment.code-<code>`), where a CommitmentCodeClaimed or CommitmentCodeReleased ' +
    'records which commitment holds the code.',
})
export class CommandEventModel {
  @Field(() => Int, { description: 'Global position in the log, which inclusion proofs refer to.' })
  position: number;

  @Field()
  id: string;

  @Field()
  stream: string;

  @Field(() => Int)
  streamVersion: number;

  @Field()
  type: string;
}

@ObjectType('CommandResult', {
  description:
    "What a command recorded: the commitment's new version and the global positions of its " +
    'events, which inclusion proofs refer to.',
})
export class CommandResultModel {
  @Field()
  commitmentId: string;

  @Field(() => Int, { description: "The commitment's version after the command." })
  streamVersion: number;

  @Field(() => [Int], {
    description:
      "Global positions of the command's events in the commitment's stream, in order " +
      '(`events` also lists its code claims and releases).',
  })
  positions: number[];

  @Field(() => [String], { description: 'Ids of the events of `positions`, in the same order.' })
  eventIds: string[];

  @Field(() => [CommandEventModel], {
    description:
      "Every event the command appended, in log order: the commitment's events, and the code " +
      'claims and releases it wrote. A replay lists those recorded when it answers.',
  })
  events: CommandEventModel[];

  @Field({
    description:
      'True when this command id had already been recorded: nothing new was written. Of ' +
      'identical requests sent at once, exactly one answers false.',
  })
  replayed: boolean;

  @Field({
    description:
      'True when the read models held these events before this answer: any later read, on ' +
      'any server, shows them. False when they had not within the wait the server allows ' +
      '(CUENTA_READ_WAIT_MS): the events are recorded all the same; read with minPosition ' +
      'set to the last of positions to wait for them.',
  })
  readModelsCaughtUp: boolean;
}
