import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CommitmentModel } from '#commitments';
import { Allow } from '#platform';
import { DialogueSpaceQueries } from '../read-models/dialogue-spaces/dialogue-spaces.queries.js';
import { dialogueSpaceFrom, improvementActionFrom } from './dialogue.mapper.js';
import { DialogueSpaceModel, ImprovementActionModel } from './models/dialogue-space.model.js';

/** The dialogue spaces and improvement actions of a commitment, on the Commitment type. */
@Allow('anonymous')
@Resolver(() => CommitmentModel)
export class CommitmentDialogueResolver {
  constructor(@Inject(DialogueSpaceQueries) private readonly queries: DialogueSpaceQueries) {}

  @ResolveField(() => [DialogueSpaceModel], {
    description: 'The dialogue spaces that concern it, newest first.',
  })
  async dialogueSpaces(@Parent() commitment: CommitmentModel): Promise<DialogueSpaceModel[]> {
    const rows = await this.queries.ofCommitment(commitment.id);
    return rows.map((row) => dialogueSpaceFrom(row.space, row.version));
  }

  @ResolveField(() => [ImprovementActionModel], {
    description: 'What dialogue spaces agreed on it, by due date.',
  })
  async improvementActions(
    @Parent() commitment: CommitmentModel,
  ): Promise<ImprovementActionModel[]> {
    const rows = await this.queries.actionsOfCommitment(commitment.id);
    return rows.map((row) => improvementActionFrom(row.dialogueSpaceId, row.action));
  }
}
