import type { Decider } from '#kernel';
import type { CommitmentCommand, DecideContext } from './commitment.commands.js';
import { recordBudget } from './commitment-budget.decide.js';
import { correctEvent } from './commitment-correction.decide.js';
import {
  completeCommitment,
  publishCommitment,
  registerCommitment,
  reviseCommitment,
  withdrawCommitment,
} from './commitment-lifecycle.decide.js';
import {
  addMilestone,
  cancelMilestone,
  completeMilestone,
  reportProgress,
  rescheduleMilestone,
  setMilestoneWeights,
} from './commitment-milestones.decide.js';
import type { CommitmentEvent, StoredCommitmentEvent } from './commitment.events.js';
import { evolve } from './commitment.evolve.js';
import { notBeforeRegistration, timestampOf, unreachable } from './commitment.guards.js';
import { initialState, type CommitmentState } from './commitment.state.js';

export { requiredForPublication } from './commitment-lifecycle.decide.js';

/**
 * The events a command produces in a state, or a `DomainError` saying why it produces none.
 * Pure: the business time comes from `context.now`, ids from the command.
 *
 * Checks run in this order, so the first failure is the most useful one: the business time
 * is not before the commitment's registration (nothing happens to a commitment before it
 * exists), the commitment exists, the command is about it, it is still open, the command is
 * allowed in its status, the milestone it names exists and is open, then the command's own
 * fields.
 */
export function decide(
  command: CommitmentCommand,
  state: CommitmentState,
  context: DecideContext,
): CommitmentEvent[] {
  const now = timestampOf(context);
  if (command.type !== 'RegisterCommitment') notBeforeRegistration(state, now);
  switch (command.type) {
    case 'RegisterCommitment':
      return registerCommitment(command, state, now);
    case 'ReviseCommitment':
      return reviseCommitment(command, state);
    case 'PublishCommitment':
      return publishCommitment(command, state, now);
    case 'AddMilestone':
      return addMilestone(command, state);
    case 'RescheduleMilestone':
      return rescheduleMilestone(command, state);
    case 'ReportProgress':
      return reportProgress(command, state, now);
    case 'CompleteMilestone':
      return completeMilestone(command, state, now);
    case 'CancelMilestone':
      return cancelMilestone(command, state, now);
    case 'SetMilestoneWeights':
      return setMilestoneWeights(command, state, now);
    case 'CompleteCommitment':
      return completeCommitment(command, state, now);
    case 'WithdrawCommitment':
      return withdrawCommitment(command, state, now);
    case 'RecordBudget':
      return recordBudget(command, state);
    case 'CorrectEvent':
      return correctEvent(command, state, now);
    default:
      return unreachable(command);
  }
}

/** The commitment's decider, whole: what the generic command handler and history run. */
export const commitmentDecider: Decider<
  CommitmentCommand,
  CommitmentEvent,
  CommitmentState,
  StoredCommitmentEvent
> = { decide, evolve, initialState };
