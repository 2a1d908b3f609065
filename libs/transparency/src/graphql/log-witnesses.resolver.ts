import { Inject } from '@nestjs/common';
import { Args, ArgsType, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { Actor as RecordedActor } from '#event-store';
import { Allow, CurrentActor, InvalidInputError, type Actor } from '#platform';
import { WitnessRoster } from '../witnesses/witness-roster.service.js';
import { RosterRefusal, type RosterWitness } from '../witnesses/witness-roster.js';

@ObjectType('LogWitness', {
  description:
    'A witness this log pushes its checkpoints to (c2sp.org/tlog-witness) and whose cosignatures it accepts.',
})
export class LogWitnessModel {
  @Field({ description: "The witness key's name, e.g. witness.example/w1." })
  name: string;

  @Field({ description: "The witness's verifier key (type 0x04, cosignature/v1)." })
  verifierKey: string;

  @Field({ description: 'Its submission prefix: the log POSTs to <url>/add-checkpoint.' })
  url: string;
}

@ArgsType()
export class AddLogWitnessArgs {
  @Field({ description: "The witness's submission prefix, http or https." })
  @IsString()
  @MaxLength(2000)
  url: string;

  @Field({ description: "The witness's verifier key, as its operator gives it." })
  @IsString()
  @MaxLength(1000)
  verifierKey: string;
}

@ArgsType()
export class RemoveLogWitnessArgs {
  @Field({ description: "The witness key's name." })
  @Matches(/^\S+$/, { message: 'must be a key name, without spaces' })
  @MaxLength(1000)
  name: string;
}

/**
 * The log's witnesses: public to read; an administrator adds and removes them, and each change
 * is an event on the `log-witnesses` stream, in the log itself.
 */
@Resolver()
export class LogWitnessesResolver {
  constructor(@Inject(WitnessRoster) private readonly roster: WitnessRoster) {}

  @Allow('anonymous')
  @Query(() => [LogWitnessModel], {
    description: 'The witnesses the log pushes its checkpoints to, in the order they were added.',
  })
  logWitnesses(): Promise<LogWitnessModel[]> {
    return this.roster.current();
  }

  @Allow('administrator')
  @Mutation(() => LogWitnessModel, {
    description:
      'Trusts a witness from now on: the log pushes it each new checkpoint and stores its cosignatures.',
  })
  addLogWitness(
    @CurrentActor() actor: Actor,
    @Args() args: AddLogWitnessArgs,
  ): Promise<RosterWitness> {
    return refusalsAsInput(() => this.roster.add(recordedActor(actor), args));
  }

  @Allow('administrator')
  @Mutation(() => LogWitnessModel, {
    description: 'Stops trusting a witness; the cosignatures it gave stay with their checkpoints.',
  })
  removeLogWitness(
    @CurrentActor() actor: Actor,
    @Args() { name }: RemoveLogWitnessArgs,
  ): Promise<LogWitnessModel> {
    return refusalsAsInput(() => this.roster.remove(recordedActor(actor), name));
  }
}

/** Who made the change, as the event records it (an administrator holds no agency). */
function recordedActor(actor: Actor): RecordedActor {
  return { subject: actor.subject, role: actor.role };
}

async function refusalsAsInput<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RosterRefusal) throw new InvalidInputError(error.field, error.rule);
    throw error;
  }
}
