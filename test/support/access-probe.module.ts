import { Module } from '@nestjs/common';
import {
  Args,
  Field,
  Int,
  Mutation,
  ObjectType,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { Allow, CurrentActor, eventActor, requireAgency, type Actor } from '#platform';

// Test-only operations, served by dist/test/support/probe-server.js and never by the real
// API: one per kind of policy, a recursive type for depth and cost, a counter that proves
// refused operations never ran, and failures deep inside a resolver for masking.

@ObjectType('ProbeActor')
class ProbeActorModel {
  @Field() subject: string;
  @Field() role: string;
  @Field(() => [String]) agencies: string[];
  @Field(() => String, { nullable: true }) agency: string | null;
}

@ObjectType('ProbeNode')
class ProbeNodeModel {
  @Field(() => Int) value: number;
}

const toModel = (actor: Actor, agency?: string): ProbeActorModel => ({
  ...eventActor(actor, agency),
  agencies: [...actor.agencies],
});

let executions = 0;

function readVault(): never {
  throw new Error('password authentication failed for user "cuenta" running SELECT * FROM vault');
}

function callsDeepInside(): string {
  return [1].map(() => readVault())[0];
}

async function* ticks(field: string, count: number) {
  for (let n = 1; n <= count; n++) yield { [field]: n };
}

async function* failingTicks() {
  yield { probeFailures: 1 };
  readVault();
}

@Resolver(() => ProbeNodeModel)
class ProbeResolver {
  @Allow('anonymous')
  @Query(() => ProbeActorModel, { description: 'The caller as the guard verified it.' })
  probeWhoAmI(@CurrentActor() actor: Actor): ProbeActorModel {
    return toModel(actor);
  }

  @Allow('anonymous')
  @Query(() => ProbeNodeModel, { description: 'A node of a tree as deep as asked; counted.' })
  probeTouch(): ProbeNodeModel {
    executions++;
    return { value: 1 };
  }

  @Allow('anonymous')
  @Query(() => [ProbeNodeModel], { description: 'A page of nodes; counted.' })
  probeNodes(
    @Args('first', { type: () => Int, defaultValue: 10 }) first: number,
  ): ProbeNodeModel[] {
    executions++;
    return Array.from({ length: Math.min(first, 3) }, (_, i) => ({ value: i }));
  }

  @Allow('anonymous')
  @Query(() => Int, { description: 'How many times probeTouch and probeNodes ran.' })
  probeExecutions(): number {
    return executions;
  }

  @ResolveField(() => ProbeNodeModel)
  child(): ProbeNodeModel {
    return { value: 2 };
  }

  @ResolveField(() => [ProbeNodeModel])
  children(@Args('first', { type: () => Int, defaultValue: 10 }) first: number): ProbeNodeModel[] {
    return Array.from({ length: Math.min(first, 3) }, (_, i) => ({ value: i }));
  }

  @Allow('anonymous')
  @Query(() => String, { description: 'Fails deep inside with an internal message.' })
  probeFailure(): string {
    return callsDeepInside();
  }

  @Query(() => String, { description: 'Declares no policy: nobody may call it.' })
  probeUnguarded(): string {
    return 'reached';
  }

  @Allow('oversight', 'internal_control')
  @Query(() => ProbeActorModel)
  probeAudit(@CurrentActor() actor: Actor): ProbeActorModel {
    return toModel(actor);
  }

  @Allow('steward', 'administrator')
  @Mutation(() => ProbeActorModel, {
    description: 'An agency-bound write; `subject` in the body must be ignored.',
  })
  probeStewardWrite(
    @CurrentActor() actor: Actor,
    @Args('agency') agency: string,
    @Args('subject', { type: () => String, nullable: true }) _subject: string | null,
  ): ProbeActorModel {
    requireAgency(actor, agency);
    return toModel(actor, agency);
  }

  @Allow('moderator')
  @Mutation(() => ProbeActorModel)
  probeModerate(@CurrentActor() actor: Actor): ProbeActorModel {
    return toModel(actor);
  }

  @Allow('anonymous')
  @Mutation(() => ProbeActorModel, { description: 'An anonymous write, like an evaluation.' })
  probeAnonymousWrite(
    @CurrentActor() actor: Actor,
    @Args('comment') _comment: string,
  ): ProbeActorModel {
    return toModel(actor);
  }

  @Allow('oversight')
  @Subscription(() => Int)
  probeTicks() {
    return ticks('probeTicks', 2);
  }

  @Allow('anonymous')
  @Subscription(() => Int)
  probeFailures() {
    return failingTicks();
  }
}

/** A class-level policy, overridden by one method. */
@Allow('administrator')
@Resolver()
class ProbeAdministrationResolver {
  @Mutation(() => ProbeActorModel)
  probeAdminister(@CurrentActor() actor: Actor): ProbeActorModel {
    return toModel(actor);
  }

  @Allow('internal_control')
  @Query(() => ProbeActorModel)
  probeChangeLog(@CurrentActor() actor: Actor): ProbeActorModel {
    return toModel(actor);
  }
}

@Module({ providers: [ProbeResolver, ProbeAdministrationResolver] })
export class AccessProbeModule {}
