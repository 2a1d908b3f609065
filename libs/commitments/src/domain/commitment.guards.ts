import {
  InvalidCommand,
  firstDayOf,
  lastDayOf,
  type CalendarDate,
  type DecideContext,
} from '#kernel';
import type { CommitmentCommand } from './commitment.commands.js';
import {
  CommitmentClosed,
  CommitmentNotFound,
  IllegalTransition,
  MilestoneClosed,
  MilestoneNotFound,
  MilestoneOutsideCommitment,
  commitmentRuleBroken,
} from './commitment.errors.js';
import type { CommitmentStarted, Timestamp } from './commitment.events.js';
import type {
  CommitmentState,
  Milestone,
  OpenCommitment,
  RegisteredCommitment,
} from './commitment.state.js';

// The checks several parts of the commitment's decider make before their own: the commitment
// exists and is the command's, it is open, the milestone is open, dates stay within it.

export function registeredCommitment(
  command: CommitmentCommand,
  state: CommitmentState,
): RegisteredCommitment {
  if (state.status === 'empty') throw new CommitmentNotFound(command.data.commitmentId);
  if (command.data.commitmentId !== state.id) {
    throw commitmentRuleBroken('commitmentId', 'matches_stream');
  }
  return state;
}

export function openCommitment(command: CommitmentCommand, state: CommitmentState): OpenCommitment {
  const commitment = registeredCommitment(command, state);
  if (commitment.status === 'completed' || commitment.status === 'withdrawn') {
    throw new CommitmentClosed({ status: commitment.status, command: command.type });
  }
  return commitment;
}

export function publishedOrStarted(
  command: CommitmentCommand,
  state: CommitmentState,
): Extract<OpenCommitment, { status: 'published' | 'in_progress' }> {
  const commitment = openCommitment(command, state);
  if (commitment.status === 'draft') {
    throw new IllegalTransition({
      status: commitment.status,
      command: command.type,
      message: 'progress is reported once the commitment is published',
    });
  }
  return commitment;
}

export function openMilestone(commitment: OpenCommitment, milestoneId: string): Milestone {
  const milestone = commitment.milestones.find((m) => m.id === milestoneId);
  if (milestone === undefined) throw new MilestoneNotFound(milestoneId);
  if (milestone.status === 'completed' || milestone.status === 'cancelled') {
    throw new MilestoneClosed({ milestoneId, status: milestone.status });
  }
  return milestone;
}

/** The first progress on a published commitment starts it. */
export function startIfPublished(commitment: OpenCommitment, now: Timestamp): CommitmentStarted[] {
  return commitment.status === 'published'
    ? [{ type: 'CommitmentStarted', data: { commitmentId: commitment.id, startedAt: now } }]
    : [];
}

export function checkWithinCommitment(
  milestoneId: string,
  range: { plannedStart: string; plannedEnd: string },
  commitment: { startDate: CalendarDate; endDate: CalendarDate },
  prefix: string,
): void {
  const outside = (field: string) =>
    new MilestoneOutsideCommitment({
      field: `${prefix}${field}`,
      milestoneId,
      commitmentStart: commitment.startDate,
      commitmentEnd: commitment.endDate,
    });
  if (firstDayOf(range.plannedStart) < commitment.startDate) throw outside('plannedStart');
  if (lastDayOf(range.plannedEnd) > commitment.endDate) throw outside('plannedEnd');
}

/**
 * Every milestone that is not cancelled must stay within the commitment's dates. The error
 * names the commitment date that excludes it (`changes.startDate`), or `fieldOverride`.
 */
export function checkMilestonesWithin(
  milestones: readonly Milestone[],
  startDate: CalendarDate,
  endDate: CalendarDate,
  fieldOverride?: string,
): void {
  for (const m of milestones) {
    if (m.status === 'cancelled') continue;
    const field =
      firstDayOf(m.plannedStart) < startDate
        ? 'changes.startDate'
        : lastDayOf(m.plannedEnd) > endDate
          ? 'changes.endDate'
          : undefined;
    if (field !== undefined) {
      throw new MilestoneOutsideCommitment({
        field: fieldOverride ?? field,
        milestoneId: m.id,
        commitmentStart: startDate,
        commitmentEnd: endDate,
      });
    }
  }
}

/**
 * The lead agency's id is fixed at registration: stewards' tokens name it, so changing it
 * would hand the commitment to other stewards. The name may be revised.
 */
export function agencyIdFixed(field: string, id: string): InvalidCommand {
  return new InvalidCommand({
    field,
    rule: 'unchangeable',
    message: `${field} cannot change: the lead agency's id stays ${id} (its name may be revised)`,
  });
}

export function notBeforeRegistration(state: CommitmentState, now: Timestamp): void {
  if (state.status === 'empty' || Date.parse(now) >= Date.parse(state.registeredAt)) return;
  throw commitmentRuleBroken(
    'occurredAt',
    'not_before_registration',
    `occurredAt must not be before the commitment's registration (${state.registeredAt})`,
  );
}

export function timestampOf(context: DecideContext): Timestamp {
  if (!(context.now instanceof Date) || Number.isNaN(context.now.getTime())) {
    throw new InvalidCommand({ field: 'occurredAt', rule: 'valid_timestamp' });
  }
  return context.now.toISOString();
}

export function unreachable(command: never): never {
  throw new InvalidCommand({
    field: 'type',
    rule: 'one_of',
    message: `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`,
  });
}
