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
import { DialogueSpaceCommandHandler } from '../application/dialogue-space-command.handler.js';
import type { DialogueSpaceCommand, DialogueSpaceCommandType } from '../domain/index.js';
import {
  AgreeImprovementActionInput,
  RecordAttendanceInput,
  RecordDialogueSpaceInput,
  ReportImprovementActionInput,
} from './dto/dialogue-space.input.js';

/** A DateTime input as ISO-8601 text (GraphQL gives a Date; anything else is left to decide). */
function instantText(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * One mutation per command. Stewards write for the lead agency of the commitments a space
 * concerns (the handler checks it); administrators for any. Each answers once the read models
 * hold its events (up to CUENTA_READ_WAIT_MS).
 */
@Allow('steward', 'administrator')
@Resolver()
export class DialogueCommandsResolver {
  constructor(
    @Inject(DialogueSpaceCommandHandler) private readonly handler: DialogueSpaceCommandHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
  ) {}

  private async run(
    actor: Actor,
    type: DialogueSpaceCommandType,
    input: CommandInput,
  ): Promise<CommandResultModel> {
    const result = await this.handler.handle(
      commandRequest<DialogueSpaceCommand>(actor, type, input),
    );
    return commandResultModel(result, await this.reads.settle(result.positions));
  }

  @Mutation(() => CommandResultModel, {
    description:
      'Records a meeting, public hearing, forum or virtual session; again with the same id, ' +
      'changes it (with a reason), marks it held, or cancels it (with a reason).',
  })
  recordDialogueSpace(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordDialogueSpaceInput,
  ): Promise<CommandResultModel> {
    // The command takes instants as ISO-8601 text, as the log records them.
    return this.run(actor, 'RecordDialogueSpace', {
      ...input,
      convenedAt: instantText(input.convenedAt),
      startsAt: instantText(input.startsAt),
    } as CommandInput);
  }

  @Mutation(() => CommandResultModel, {
    description:
      'Records the attendance of a held space as counts by group and territory (never ' +
      'names), with its minutes; again, corrects it with a reason.',
  })
  recordAttendance(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordAttendanceInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'RecordAttendance', input);
  }

  @Mutation(() => CommandResultModel, {
    description: 'Records an improvement action a held space agreed on one of its commitments.',
  })
  agreeImprovementAction(
    @CurrentActor() actor: Actor,
    @Args('input') input: AgreeImprovementActionInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'AgreeImprovementAction', input);
  }

  @Mutation(() => CommandResultModel, {
    description:
      "Reports an improvement action's progress with evidence: in progress, completed, or " +
      'cancelled (with a reason).',
  })
  reportImprovementAction(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReportImprovementActionInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'ReportImprovementAction', input);
  }
}
