import { Field, Int, ObjectType } from '@nestjs/graphql';

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

  @Field(() => [Int], { description: 'Global positions of the recorded events, in order.' })
  positions: number[];

  @Field(() => [String])
  eventIds: string[];

  @Field({
    description: 'True when this command id had already been recorded: nothing new was written.',
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
