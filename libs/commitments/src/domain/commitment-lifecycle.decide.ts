import { defined, identifier, optionalText, text } from '#kernel';
import type {
  CompleteCommitment,
  PublishCommitment,
  RegisterCommitment,
  ReviseCommitment,
  WithdrawCommitment,
} from './commitment.commands.js';
import {
  CommitmentAlreadyRegistered,
  IllegalTransition,
  IncompleteCommitment,
  InvalidCommand,
  MilestonesStillOpen,
} from './commitment.errors.js';
import type { CommitmentEvent, Timestamp } from './commitment.events.js';
import { agencyIdFixed, checkMilestonesWithin, openCommitment } from './commitment.guards.js';
import type { CommitmentState, RegisteredCommitment } from './commitment.state.js';
import { commitmentChanges, commitmentFields, templateOf } from './commitment.validate.js';

// The commitment's lifecycle: registered, revised, published, completed or withdrawn.

/**
 * The template fields publication needs that are still empty, in template order; empty
 * means the commitment can be published.
 */
export function requiredForPublication(state: RegisteredCommitment): string[] {
  const missing: string[] = [];
  for (const field of ['problem', 'statusQuo', 'action', 'contribution', 'longTermGoal'] as const) {
    if (state[field] === undefined) missing.push(field);
  }
  if (state.policyAreas.length === 0) missing.push('policyAreas');
  if (state.ogpValues.length === 0) missing.push('ogpValues');
  if (!state.milestones.some((m) => m.status !== 'cancelled')) missing.push('milestones');
  return missing;
}

export function registerCommitment(
  { data }: RegisterCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  if (state.status !== 'empty') throw new CommitmentAlreadyRegistered(state.id);
  const commitmentId = identifier(data.commitmentId, 'commitmentId');
  const fields = commitmentFields(templateOf(data));
  return [{ type: 'CommitmentRegistered', data: { commitmentId, ...fields, registeredAt: now } }];
}

export function reviseCommitment(
  command: ReviseCommitment,
  state: CommitmentState,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  const reason = text(command.data.reason, 'reason');
  const changes = commitmentChanges(command.data.changes, commitment, 'changes');
  if (changes.leadAgency !== undefined && changes.leadAgency.id !== commitment.leadAgency.id) {
    throw agencyIdFixed('changes.leadAgency.id', commitment.leadAgency.id);
  }
  if (Object.keys(changes).length === 0) {
    throw new InvalidCommand({
      field: 'changes',
      rule: 'no_change',
      message: 'changes holds no value that differs from the commitment',
    });
  }
  if (changes.startDate !== undefined || changes.endDate !== undefined) {
    checkMilestonesWithin(
      commitment.milestones,
      changes.startDate ?? commitment.startDate,
      changes.endDate ?? commitment.endDate,
    );
  }
  return [{ type: 'CommitmentRevised', data: { commitmentId: commitment.id, changes, reason } }];
}

export function publishCommitment(
  command: PublishCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  if (commitment.status !== 'draft') {
    throw new IllegalTransition({
      status: commitment.status,
      command: command.type,
      message: 'the commitment is already published',
    });
  }
  const missing = requiredForPublication(commitment);
  if (missing.length > 0) throw new IncompleteCommitment(missing);
  return [{ type: 'CommitmentPublished', data: { commitmentId: commitment.id, publishedAt: now } }];
}

export function completeCommitment(
  command: CompleteCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  if (commitment.status !== 'in_progress') {
    throw new IllegalTransition({
      status: commitment.status,
      command: command.type,
      message: 'only a commitment in progress can be completed',
    });
  }
  const stillOpen = commitment.milestones.filter(
    (m) => m.status !== 'completed' && m.status !== 'cancelled',
  );
  if (stillOpen.length > 0) throw new MilestonesStillOpen(stillOpen.map((m) => m.id));
  if (!commitment.milestones.some((m) => m.status === 'completed')) {
    throw new IllegalTransition({
      status: commitment.status,
      command: command.type,
      message: 'every milestone was cancelled: withdraw the commitment instead',
    });
  }
  const note = optionalText(command.data.note, 'note');
  return [
    {
      type: 'CommitmentCompleted',
      data: defined({ commitmentId: commitment.id, completedAt: now, note }),
    },
  ];
}

export function withdrawCommitment(
  command: WithdrawCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  const reason = text(command.data.reason, 'reason');
  return [
    {
      type: 'CommitmentWithdrawn',
      data: { commitmentId: commitment.id, withdrawnAt: now, reason },
    },
  ];
}
