import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import {
  Allow,
  commandRequest,
  CommandResultModel,
  commandResultModel,
  CurrentActor,
  ReadPositions,
  type Actor,
} from '#platform';
import { RedFlagJustificationHandler } from '../application/red-flag-justification.handler.js';
import type { JustifyRedFlag } from '../domain/index.js';
import { JustifyRedFlagInput } from './dto/red-flags.args.js';

/**
 * Justifying a flag: stewards of the flag's agency (the handler checks it) and
 * administrators. Answers once the read models hold the justification.
 */
@Allow('steward', 'administrator')
@Resolver()
export class RedFlagCommandsResolver {
  constructor(
    @Inject(RedFlagJustificationHandler) private readonly handler: RedFlagJustificationHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  @Mutation(() => CommandResultModel, {
    description:
      'Records a reason beside a red flag (open or closed). It is shown with the flag and ' +
      'does not close it.',
  })
  async justifyRedFlag(
    @CurrentActor() actor: Actor,
    @Args('input') input: JustifyRedFlagInput,
  ): Promise<CommandResultModel> {
    const result = await this.handler.handle(
      commandRequest<JustifyRedFlag>(actor, 'JustifyRedFlag', input),
    );
    return commandResultModel(result, await this.reads.settle(result.positions));
  }
}
