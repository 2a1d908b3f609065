import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, keepOutOfReadCache } from '#platform';
import { CommitmentModel } from '#commitments';
import { EvaluationQueries } from '../read-models/evaluations/evaluations.queries.js';
import { EvaluationsArgs } from './dto/evaluation.inputs.js';
import { evaluationConnection } from './evaluations.resolver.js';
import { EvaluationConnectionModel } from './models/evaluation.model.js';

/** A commitment's evaluations (of it and of its milestones), on the Commitment type. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentEvaluationsResolver {
  constructor(@Inject(EvaluationQueries) private readonly queries: EvaluationQueries) {}

  @ResolveField(() => EvaluationConnectionModel, {
    description: "Citizens' evaluations of the commitment and its milestones, newest first.",
  })
  evaluations(
    @Parent() commitment: CommitmentModel,
    @Args() args: EvaluationsArgs,
    @Context() context: object,
  ): Promise<EvaluationConnectionModel> {
    // Answer states move with the calendar, not the log: a cached commitment would keep them.
    keepOutOfReadCache(context);
    const filter = { ...(args.filter ?? {}), commitmentId: commitment.id };
    return evaluationConnection(this.queries, filter, args.first, args.after);
  }
}
