import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CommitmentModel } from '#commitments';
import { Allow } from '#platform';
import type { Thresholds } from '../domain/index.js';
import { RedFlagQueries } from '../read-models/red-flag-files/red-flag-files.queries.js';
import { RED_FLAG_THRESHOLDS } from '../red-flags.config.js';
import { CommitmentRedFlagsArgs } from './dto/red-flags.args.js';
import { RedFlagModel } from './models/red-flag.model.js';
import { redFlagModel } from './red-flag.mapper.js';
import { judgedAt } from './red-flags.resolver.js';

/** A commitment's red flags, on the Commitment type. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentRedFlagsResolver {
  constructor(
    @Inject(RedFlagQueries) private readonly queries: RedFlagQueries,
    @Inject(RED_FLAG_THRESHOLDS) private readonly thresholds: Thresholds,
  ) {}

  @ResolveField(() => [RedFlagModel], {
    description:
      "The red flags that concern it (its own, its milestones', budget lines', evaluations', " +
      "dialogue spaces' and improvement actions'), newest raised first. Judged at asOf, or now.",
  })
  async redFlags(
    @Parent() commitment: CommitmentModel,
    @Args() args: CommitmentRedFlagsArgs,
    @Context() context: object,
  ): Promise<RedFlagModel[]> {
    const asOf = judgedAt(args.asOf, context);
    const flags = await this.queries.flags(
      { commitmentId: commitment.id, state: args.state ?? undefined },
      asOf,
      this.thresholds,
    );
    return flags.map(redFlagModel);
  }
}
