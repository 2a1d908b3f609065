import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { CommandResult } from '../../commands/command-handler.js';
import {
  PersonalDataReceiptModel,
  personalDataReceiptModel,
} from '../../personal-data/graphql/personal-data-receipt.model.js';

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
    "What a command recorded: its stream's new version and the global positions of its " +
    'events, which inclusion proofs refer to.',
})
export class CommandResultModel {
  @Field({ description: 'The kind of stream the command was about, e.g. commitment.' })
  streamType: string;

  @Field(() => ID, { description: 'The id of the stream the command was about.' })
  streamId: string;

  @Field({
    deprecationReason: 'Use streamId.',
    description:
      'The id of the stream the command was about: the commitment id for a commitment ' +
      'command, the stream id for any other.',
  })
  commitmentId: string;

  @Field(() => Int, { description: "The stream's version after the command." })
  streamVersion: number;

  @Field(() => [Int], {
    description:
      "Global positions of the command's events in its stream, in order (`events` also " +
      'lists what it wrote to other streams, such as code claims and releases).',
  })
  positions: number[];

  @Field(() => [String], { description: 'Ids of the events of `positions`, in the same order.' })
  eventIds: string[];

  @Field(() => [CommandEventModel], {
    description:
      "Every event the command appended, in log order: its stream's events, and those it " +
      "wrote to other streams (a commitment's code claims and releases). A replay lists " +
      'those recorded when it answers.',
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

  @Field(() => PersonalDataReceiptModel, {
    nullable: true,
    description:
      'Only when the command stored personal values: the receipt, shown this once (keep ' +
      'it). Null otherwise, and null on a replay of the same command id: only a hash of the ' +
      "receipt's secret is kept, so it cannot be recovered.",
  })
  receipt: PersonalDataReceiptModel | null;
}

/**
 * A command's result as a mutation answers it. `readModelsCaughtUp`: whether the read
 * models held its events before the answer (`ReadPositions.settle`).
 */
export function commandResultModel(
  result: CommandResult,
  readModelsCaughtUp: boolean,
): CommandResultModel {
  const receipt = result.receipt ? personalDataReceiptModel(result.receipt) : null;
  return { ...result, commitmentId: result.streamId, readModelsCaughtUp, receipt };
}
