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
import { AssessmentCommandHandler } from '../application/assessment-command.handler.js';
import { AssessmentTargets } from '../application/assessment-targets.js';
import type { AssessmentCommand } from '../domain/index.js';
import { RecordIndependentAssessmentInput } from './dto/assessment.input.js';

/** Oversight bodies record independent assessments of existing commitments. */
@Resolver()
export class AssessmentCommandsResolver {
  constructor(
    @Inject(AssessmentCommandHandler) private readonly handler: AssessmentCommandHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
    @Inject(AssessmentTargets) private readonly targets: AssessmentTargets,
  ) {}

  @Allow('oversight')
  @Mutation(() => CommandResultModel, {
    description:
      'Records an independent (IRM) assessment of a commitment for one report: the scheme, ' +
      'verifiability, the open-government lens, potential for results, completion, whether ' +
      'it opened government, a justification and evidence. A later assessment of the same ' +
      'report supersedes the current one and requires a reason. Oversight role only.',
  })
  async recordIndependentAssessment(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordIndependentAssessmentInput,
  ): Promise<CommandResultModel> {
    await this.targets.check(input.commitmentId);
    const result = await this.handler.handle(
      commandRequest<AssessmentCommand>(actor, 'RecordIndependentAssessment', input),
    );
    return commandResultModel(result, await this.reads.settle(result.positions));
  }
}
