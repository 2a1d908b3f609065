import { Inject } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CommitmentModel } from '#commitments';
import { Allow } from '#platform';
import { AssessmentQueries } from '../read-models/assessments/assessments.queries.js';
import { assessmentFromRow } from './assessment.mapper.js';
import { IndependentAssessmentModel } from './models/assessment.model.js';

/** A commitment's independent assessments, on the Commitment type: public, like the log. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentAssessmentsResolver {
  constructor(@Inject(AssessmentQueries) private readonly queries: AssessmentQueries) {}

  @ResolveField(() => [IndependentAssessmentModel], {
    description:
      'Independent assessments of the commitment (IRM), newest first: the superseded ones ' +
      'too, marked SUPERSEDED with the one that replaced them, unless current is true.',
  })
  async assessments(
    @Parent() commitment: CommitmentModel,
    @Args('current', {
      type: () => Boolean,
      defaultValue: false,
      description: 'Only the assessments in force: the latest of each report.',
    })
    current: boolean,
  ): Promise<IndependentAssessmentModel[]> {
    const rows = await this.queries.ofCommitment(commitment.id, { current });
    return rows.map(assessmentFromRow);
  }
}
