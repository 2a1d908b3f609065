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
  type CommandInput,
} from '#platform';
import { CommitmentCommandHandler } from '../application/commitment-command.handler.js';
import type { CommitmentCommand, CommitmentCommandType } from '../domain/index.js';
import { RecordBudgetInput } from './dto/budget.input.js';
import {
  CompleteCommitmentInput,
  PublishCommitmentInput,
  RegisterCommitmentInput,
  ReviseCommitmentInput,
  WithdrawCommitmentInput,
} from './dto/commitment-fields.input.js';
import { SetMilestoneWeightsInput } from './dto/action-plan.input.js';
import { CorrectEventInput } from './dto/correction.input.js';
import {
  AddMilestoneInput,
  CancelMilestoneInput,
  CompleteMilestoneInput,
  ReportProgressInput,
  RescheduleMilestoneInput,
} from './dto/milestone.input.js';

/**
 * One mutation per command. Stewards write for the agencies in their token (the handler
 * checks the commitment's lead agency); administrators for any.
 *
 * A mutation answers once the read models hold its events (up to CUENTA_READ_WAIT_MS), so
 * any read that starts after the answer, on any process of the database, shows them.
 */
@Allow('steward', 'administrator')
@Resolver()
export class CommitmentCommandsResolver {
  constructor(
    @Inject(CommitmentCommandHandler) private readonly handler: CommitmentCommandHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  /**
   * The handler's result, and whether the read models held it before the answer. A
   * correction's `corrected` keeps its nulls: there, null removes a field.
   */
  private async run(
    actor: Actor,
    type: CommitmentCommandType,
    input: CommandInput,
  ): Promise<CommandResultModel> {
    const request = commandRequest<CommitmentCommand>(actor, type, input, {
      keepNullsIn: ['corrected'],
    });
    const result = await this.handler.handle(request);
    return commandResultModel(result, await this.reads.settle(result.positions));
  }

  @Mutation(() => CommandResultModel, { description: 'Registers a commitment as a draft.' })
  registerCommitment(
    @CurrentActor() actor: Actor,
    @Args('input') input: RegisterCommitmentInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'RegisterCommitment', input);
  }

  @Mutation(() => CommandResultModel, { description: 'Changes template fields, with a reason.' })
  reviseCommitment(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReviseCommitmentInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'ReviseCommitment', input);
  }

  @Mutation(() => CommandResultModel, {
    description: 'Publishes a draft whose template is complete and that has a milestone.',
  })
  publishCommitment(
    @CurrentActor() actor: Actor,
    @Args('input') input: PublishCommitmentInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'PublishCommitment', input);
  }

  @Mutation(() => CommandResultModel, {
    description: "Adds a milestone within the commitment's dates.",
  })
  addMilestone(
    @CurrentActor() actor: Actor,
    @Args('input') input: AddMilestoneInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'AddMilestone', input);
  }

  @Mutation(() => CommandResultModel, { description: "Moves a milestone's dates, with a reason." })
  rescheduleMilestone(
    @CurrentActor() actor: Actor,
    @Args('input') input: RescheduleMilestoneInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'RescheduleMilestone', input);
  }

  @Mutation(() => CommandResultModel, {
    description: "Reports a milestone's progress, with evidence if any.",
  })
  reportProgress(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReportProgressInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'ReportProgress', input);
  }

  @Mutation(() => CommandResultModel, { description: 'Marks a milestone completed.' })
  completeMilestone(
    @CurrentActor() actor: Actor,
    @Args('input') input: CompleteMilestoneInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'CompleteMilestone', input);
  }

  @Mutation(() => CommandResultModel, { description: 'Cancels a milestone, with a reason.' })
  cancelMilestone(
    @CurrentActor() actor: Actor,
    @Args('input') input: CancelMilestoneInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'CancelMilestone', input);
  }

  @Mutation(() => CommandResultModel, {
    description: "Sets milestones' weights in the commitment's progress roll-up, with a reason.",
  })
  setMilestoneWeights(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetMilestoneWeightsInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'SetMilestoneWeights', input);
  }

  @Mutation(() => CommandResultModel, {
    description: 'Completes a commitment in progress whose milestones are all closed.',
  })
  completeCommitment(
    @CurrentActor() actor: Actor,
    @Args('input') input: CompleteCommitmentInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'CompleteCommitment', input);
  }

  @Mutation(() => CommandResultModel, { description: 'Withdraws a commitment, with a reason.' })
  withdrawCommitment(
    @CurrentActor() actor: Actor,
    @Args('input') input: WithdrawCommitmentInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'WithdrawCommitment', input);
  }

  @Mutation(() => CommandResultModel, {
    description:
      'Records the amount of a budget line in one phase; changing an approved amount needs a reason.',
  })
  recordBudget(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordBudgetInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'RecordBudget', input);
  }

  @Mutation(() => CommandResultModel, {
    description:
      'Supersedes an earlier event with a corrected copy, or retracts it, with a reason. Both ' +
      'stay in the log.',
  })
  correctEvent(
    @CurrentActor() actor: Actor,
    @Args('input') input: CorrectEventInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'CorrectEvent', input);
  }
}
