import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type DataLoader from 'dataloader';
import { CommitmentModel } from '#commitments';
import { Allow, perRequest, requestLoader } from '#platform';
import {
  AssessmentQueries,
  type AssessmentRow,
} from '../read-models/assessments/assessments.queries.js';
import { assessmentFromRow } from './assessment.mapper.js';
import { IndependentAssessmentModel } from './models/assessment.model.js';

/** A request's loaders: one for all assessments, one for the current ones. */
type AssessmentLoaders = Map<boolean, DataLoader<string, AssessmentRow[]>>;
const loadersOf = perRequest<AssessmentLoaders>();

/** A commitment's independent assessments, on the Commitment type: public, like the log. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentAssessmentsResolver {
  constructor(@Inject(AssessmentQueries) private readonly queries: AssessmentQueries) {}

  @ResolveField(() => [IndependentAssessmentModel], {
    description:
      'Independent assessments of the commitment (IRM), newest first: the superseded ones ' +
      'too, marked SUPERSEDED with the one that replaced them, unless current is true. As ' +
      'the log holds them now: asOf and knownAt do not apply to them.',
  })
  async assessments(
    @Parent() commitment: CommitmentModel,
    @Args('current', {
      type: () => Boolean,
      defaultValue: false,
      description: 'Only the assessments in force: the latest of each report.',
    })
    current: boolean,
    @Context() context: object,
  ): Promise<IndependentAssessmentModel[]> {
    // One query for every commitment of a list, per request.
    const loaders = loadersOf(context, () => new Map());
    let loader = loaders.get(current);
    if (loader === undefined) {
      loader = requestLoader((ids) => this.queries.ofCommitments(ids, { current }));
      loaders.set(current, loader);
    }
    const rows = await loader.load(commitment.id);
    return rows.map(assessmentFromRow);
  }
}
