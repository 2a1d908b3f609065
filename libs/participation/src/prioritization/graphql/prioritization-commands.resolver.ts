import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import {
  Allow,
  commandRequest,
  CommandResultModel,
  commandResultModel,
  CurrentActor,
  InvalidInputError,
  ReadPositions,
  type Actor,
  type CommandInput,
  type CuentaContext,
} from '#platform';
import { PrioritizationCommandHandler } from '../application/prioritization-command.handler.js';
import { PrioritizationTargets } from '../application/prioritization-targets.js';
import type { PrioritizationCommand } from '../domain/index.js';
import {
  CastBallotInput,
  ClosePrioritizationInput,
  OpenPrioritizationInput,
} from './dto/prioritization.input.js';

/**
 * The prioritization's mutations. Stewards open and close exercises of the agencies in their
 * token (an exercise naming a commitment and milestone must name existing ones); anyone casts a ballot: with a token as its subject, or anonymously as the
 * pseudonymous id of the X-Cuenta-Session header (required, so that casting again replaces
 * the earlier ballot rather than adding one).
 */
@Resolver()
export class PrioritizationCommandsResolver {
  constructor(
    @Inject(PrioritizationCommandHandler) private readonly handler: PrioritizationCommandHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
    @Inject(PrioritizationTargets) private readonly targets: PrioritizationTargets,
  ) {}

  private async run(
    actor: Actor,
    type: PrioritizationCommand['type'],
    input: CommandInput,
  ): Promise<CommandResultModel> {
    const result = await this.handler.handle(
      commandRequest<PrioritizationCommand>(actor, type, input),
    );
    return commandResultModel(result, await this.reads.settle(result.positions));
  }

  @Allow('steward', 'administrator')
  @Mutation(() => CommandResultModel, {
    description:
      'Opens a topic prioritization: candidate topics, a voting window and the counting ' +
      'method (borda).',
  })
  async openPrioritization(
    @CurrentActor() actor: Actor,
    @Args('input') input: OpenPrioritizationInput,
  ): Promise<CommandResultModel> {
    await this.targets.check({
      commitmentId: input.commitmentId ?? undefined,
      milestoneId: input.milestoneId ?? undefined,
    });
    const { opensAt, closesAt, ...rest } = input;
    const times = { opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() };
    return this.run(actor, 'OpenPrioritization', { ...rest, ...times } as CommandInput);
  }

  @Allow('anonymous')
  @Mutation(() => CommandResultModel, {
    description:
      'Casts a ranked ballot between the opening and the closing time. Casting again replaces ' +
      "the earlier ballot (the new event names it in `replaces`). Keep the result's eventIds " +
      'and positions: they are the receipt, provable with an inclusion proof.',
  })
  castBallot(
    @CurrentActor() actor: Actor,
    @Args('input') input: CastBallotInput,
    @Context() context: CuentaContext,
  ): Promise<CommandResultModel> {
    if (!actor.authenticated) {
      const session = context.req?.headers['x-cuenta-session'];
      if (typeof session !== 'string' || session === '') {
        throw new InvalidInputError(
          'X-Cuenta-Session',
          'is required for an anonymous ballot, sent over HTTP: it keeps one ballot per participant',
        );
      }
    }
    const { occurredAt: _ignored, ...rest } = input;
    return this.run(actor, 'CastBallot', { ...rest, participant: actor.subject } as CommandInput);
  }

  @Allow('steward', 'administrator')
  @Mutation(() => CommandResultModel, {
    description:
      'Closes the exercise at or after its closing time, recording the result counted from ' +
      'the ballots in the log.',
  })
  closePrioritization(
    @CurrentActor() actor: Actor,
    @Args('input') input: ClosePrioritizationInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'ClosePrioritization', input);
  }
}
