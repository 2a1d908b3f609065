import { firstDayOf, lastDayOf, type CalendarDate } from './calendar.js';
import type {
  AddMilestone,
  CancelMilestone,
  CommitmentCommand,
  CompleteCommitment,
  CompleteMilestone,
  CorrectEvent,
  DecideContext,
  PublishCommitment,
  RecordBudget,
  RegisterCommitment,
  ReportProgress,
  RescheduleMilestone,
  ReviseCommitment,
  WithdrawCommitment,
} from './commitment.commands.js';
import {
  correctedCopy,
  currentVersion,
  isCorrectable,
  isRetractable,
  plannedRange,
} from './commitment.correction.js';
import {
  CommitmentAlreadyRegistered,
  CommitmentClosed,
  CommitmentNotFound,
  EventNotFound,
  IllegalTransition,
  IncompleteCommitment,
  InvalidCommand,
  MilestoneAlreadyExists,
  MilestoneClosed,
  MilestoneNotFound,
  MilestoneOutsideCommitment,
  MilestonesStillOpen,
  UncorrectableEvent,
} from './commitment.errors.js';
import type {
  CommitmentEvent,
  CommitmentStarted,
  EventCorrected,
  Timestamp,
} from './commitment.events.js';
import { evolve } from './commitment.evolve.js';
import type {
  CommitmentState,
  Milestone,
  OpenCommitment,
  RegisteredCommitment,
} from './commitment.state.js';
import {
  LIMITS,
  amountCop,
  budgetPhase,
  commitmentChanges,
  commitmentFields,
  defined,
  evidenceList,
  identifier,
  optionalText,
  percent,
  sameJson,
  templateOf,
  text,
} from './commitment.validate.js';

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
      return register(command, state, now);
    case 'ReviseCommitment':
      return revise(command, state);
    case 'PublishCommitment':
      return publish(command, state, now);
    case 'AddMilestone':
      return addMilestone(command, state);
    case 'RescheduleMilestone':
      return reschedule(command, state);
    case 'ReportProgress':
      return reportProgress(command, state, now);
    case 'CompleteMilestone':
      return completeMilestone(command, state, now);
    case 'CancelMilestone':
      return cancelMilestone(command, state, now);
    case 'CompleteCommitment':
      return complete(command, state, now);
    case 'WithdrawCommitment':
      return withdraw(command, state, now);
    case 'RecordBudget':
      return recordBudget(command, state);
    case 'CorrectEvent':
      return correct(command, state, now);
    default:
      return unreachable(command);
  }
}

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

function register(
  { data }: RegisterCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  if (state.status !== 'empty') throw new CommitmentAlreadyRegistered(state.id);
  const commitmentId = identifier(data.commitmentId, 'commitmentId');
  const fields = commitmentFields(templateOf(data));
  return [{ type: 'CommitmentRegistered', data: { commitmentId, ...fields, registeredAt: now } }];
}

function revise(command: ReviseCommitment, state: CommitmentState): CommitmentEvent[] {
  const commitment = open(command, state);
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

function publish(
  command: PublishCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = open(command, state);
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

function addMilestone(command: AddMilestone, state: CommitmentState): CommitmentEvent[] {
  const commitment = open(command, state);
  const { data } = command;
  const milestoneId = identifier(data.milestoneId, 'milestoneId');
  if (commitment.milestones.some((m) => m.id === milestoneId)) {
    throw new MilestoneAlreadyExists(milestoneId);
  }
  const title = text(data.title, 'title', LIMITS.title);
  const responsibleOffice = text(data.responsibleOffice, 'responsibleOffice', LIMITS.name);
  const range = plannedRange(data, '');
  checkWithinCommitment(milestoneId, range, commitment, '');
  return [
    {
      type: 'MilestoneAdded',
      data: { commitmentId: commitment.id, milestoneId, title, responsibleOffice, ...range },
    },
  ];
}

function reschedule(command: RescheduleMilestone, state: CommitmentState): CommitmentEvent[] {
  const commitment = open(command, state);
  const milestone = openMilestone(commitment, command.data.milestoneId);
  const reason = text(command.data.reason, 'reason');
  const range = plannedRange(command.data, '');
  if (range.plannedStart === milestone.plannedStart && range.plannedEnd === milestone.plannedEnd) {
    throw new InvalidCommand({
      field: 'plannedStart',
      rule: 'no_change',
      message: 'the milestone is already planned for these dates',
    });
  }
  checkWithinCommitment(milestone.id, range, commitment, '');
  return [
    {
      type: 'MilestoneRescheduled',
      data: { commitmentId: commitment.id, milestoneId: milestone.id, ...range, reason },
    },
  ];
}

function reportProgress(
  command: ReportProgress,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = publishedOrStarted(command, state);
  const milestone = openMilestone(commitment, command.data.milestoneId);
  const value = percent(command.data.percent, 'percent');
  const note = optionalText(command.data.note, 'note');
  const evidence = evidenceList(command.data.evidence, 'evidence');
  return [
    // A report of 0% says work has not begun, so it does not start the commitment.
    ...(value > 0 ? startIfPublished(commitment, now) : []),
    {
      type: 'MilestoneProgressReported',
      data: defined({
        commitmentId: commitment.id,
        milestoneId: milestone.id,
        percent: value,
        reportedAt: now,
        note,
        evidence,
      }),
    },
  ];
}

function completeMilestone(
  command: CompleteMilestone,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = publishedOrStarted(command, state);
  const milestone = openMilestone(commitment, command.data.milestoneId);
  const note = optionalText(command.data.note, 'note');
  const evidence = evidenceList(command.data.evidence, 'evidence');
  return [
    ...startIfPublished(commitment, now),
    {
      type: 'MilestoneCompleted',
      data: defined({
        commitmentId: commitment.id,
        milestoneId: milestone.id,
        completedAt: now,
        note,
        evidence,
      }),
    },
  ];
}

function cancelMilestone(
  command: CancelMilestone,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = open(command, state);
  const milestone = openMilestone(commitment, command.data.milestoneId);
  const reason = text(command.data.reason, 'reason');
  return [
    {
      type: 'MilestoneCancelled',
      data: { commitmentId: commitment.id, milestoneId: milestone.id, cancelledAt: now, reason },
    },
  ];
}

function complete(
  command: CompleteCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = open(command, state);
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

function withdraw(
  command: WithdrawCommitment,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = open(command, state);
  const reason = text(command.data.reason, 'reason');
  return [
    {
      type: 'CommitmentWithdrawn',
      data: { commitmentId: commitment.id, withdrawnAt: now, reason },
    },
  ];
}

function recordBudget(command: RecordBudget, state: CommitmentState): CommitmentEvent[] {
  const commitment = open(command, state);
  const { data } = command;
  const lineId = identifier(data.lineId, 'lineId');
  const phase = budgetPhase(data.phase, 'phase');
  const amount = amountCop(data.amountCop, 'amountCop');
  const fundingSource = text(data.fundingSource, 'fundingSource', LIMITS.name);
  const milestoneId =
    data.milestoneId === undefined ? undefined : identifier(data.milestoneId, 'milestoneId');
  if (milestoneId !== undefined && !commitment.milestones.some((m) => m.id === milestoneId)) {
    throw new MilestoneNotFound(milestoneId);
  }
  const reason = optionalText(data.reason, 'reason');

  const line = commitment.budget.find((l) => l.id === lineId);
  if (line !== undefined && line.fundingSource !== fundingSource) {
    throw new InvalidCommand({ field: 'fundingSource', rule: 'matches_budget_line' });
  }
  if (line !== undefined && line.milestoneId !== milestoneId) {
    throw new InvalidCommand({ field: 'milestoneId', rule: 'matches_budget_line' });
  }
  // An adjustment replaces the approved amount, so the line's approved amount is the latest
  // of the two.
  const approved = line?.amounts.adjusted ?? line?.amounts.approved;
  if (phase === 'adjusted' && approved === undefined) {
    throw new InvalidCommand({ field: 'phase', rule: 'requires_approved_amount' });
  }
  const changesApproved =
    (phase === 'approved' || phase === 'adjusted') && approved !== undefined && amount !== approved;
  if (changesApproved && reason === undefined) {
    throw new InvalidCommand({
      field: 'reason',
      rule: 'required_to_change_approved_amount',
      message: `changing the approved amount of line ${lineId} needs a reason`,
    });
  }
  return [
    {
      type: 'BudgetRecorded',
      data: defined({
        commitmentId: commitment.id,
        lineId,
        phase,
        amountCop: amount,
        fundingSource,
        milestoneId,
        reason,
      }),
    },
  ];
}

/**
 * The one command a closed commitment still takes. The corrected history must still hold
 * together, so it is folded and checked before the correction is accepted.
 */
function correct(command: CorrectEvent, state: CommitmentState, now: Timestamp): CommitmentEvent[] {
  const commitment = registered(command, state);
  const { data } = command;
  const eventId = identifier(data.eventId, 'eventId');
  const reason = text(data.reason, 'reason');
  const target = commitment.history.find((e) => e.id === eventId);
  if (target === undefined) throw new EventNotFound(eventId);
  if (!isCorrectable(target)) {
    throw new UncorrectableEvent({ eventId, eventType: target.type, rule: 'not_correctable' });
  }
  const { id: _id, ...original } = target;
  const current = currentVersion(commitment.history, original, eventId);

  let replacement;
  if (data.corrected === undefined) {
    if (!isRetractable(original)) {
      throw new UncorrectableEvent({ eventId, eventType: target.type, rule: 'not_retractable' });
    }
    if (current === null) {
      throw new InvalidCommand({
        field: 'eventId',
        rule: 'no_change',
        message: `event ${eventId} is already retracted`,
      });
    }
  } else {
    replacement = correctedCopy(current ?? original, data.corrected, {
      agencyId: commitment.leadAgency.id,
    });
    if (current !== null && sameJson(replacement.data, current.data)) {
      throw new InvalidCommand({
        field: 'corrected',
        rule: 'no_change',
        message: `the correction leaves event ${eventId} as it is`,
      });
    }
  }
  const correction: EventCorrected = {
    type: 'EventCorrected',
    data: defined({
      commitmentId: commitment.id,
      correctedEventId: eventId,
      correctedEventType: original.type,
      reason,
      correctedAt: now,
      replacement,
    }),
  };
  const after = evolve(commitment, { ...correction, id: `pending-${eventId}` });
  checkCorrectedHistory(after);
  if (after.status !== 'empty' && after.leadAgency.id !== commitment.leadAgency.id) {
    const field =
      replacement === undefined
        ? 'eventId'
        : replacement.type === 'CommitmentRevised'
          ? 'corrected.changes.leadAgency.id'
          : 'corrected.leadAgency.id';
    throw agencyIdFixed(field, commitment.leadAgency.id);
  }
  return [correction];
}

/**
 * The lead agency's id is fixed at registration: stewards' tokens name it, so changing it
 * would hand the commitment to other stewards. The name may be revised.
 */
function agencyIdFixed(field: string, id: string): InvalidCommand {
  return new InvalidCommand({
    field,
    rule: 'unchangeable',
    message: `${field} cannot change: the lead agency's id stays ${id} (its name may be revised)`,
  });
}

/** The checks every command makes, on the history as a correction would leave it. */
function checkCorrectedHistory(state: CommitmentState): void {
  if (state.status === 'empty') return;
  checkMilestonesWithin(state.milestones, state.startDate, state.endDate, 'corrected');
  for (const line of state.budget) {
    if (
      line.milestoneId !== undefined &&
      !state.milestones.some((m) => m.id === line.milestoneId)
    ) {
      throw new MilestoneNotFound(line.milestoneId, 'corrected.milestoneId');
    }
  }
}

function registered(command: CommitmentCommand, state: CommitmentState): RegisteredCommitment {
  if (state.status === 'empty') throw new CommitmentNotFound(command.data.commitmentId);
  if (command.data.commitmentId !== state.id) {
    throw new InvalidCommand({ field: 'commitmentId', rule: 'matches_stream' });
  }
  return state;
}

function open(command: CommitmentCommand, state: CommitmentState): OpenCommitment {
  const commitment = registered(command, state);
  if (commitment.status === 'completed' || commitment.status === 'withdrawn') {
    throw new CommitmentClosed({ status: commitment.status, command: command.type });
  }
  return commitment;
}

function publishedOrStarted(
  command: CommitmentCommand,
  state: CommitmentState,
): Extract<OpenCommitment, { status: 'published' | 'in_progress' }> {
  const commitment = open(command, state);
  if (commitment.status === 'draft') {
    throw new IllegalTransition({
      status: commitment.status,
      command: command.type,
      message: 'progress is reported once the commitment is published',
    });
  }
  return commitment;
}

function openMilestone(commitment: OpenCommitment, milestoneId: string): Milestone {
  const milestone = commitment.milestones.find((m) => m.id === milestoneId);
  if (milestone === undefined) throw new MilestoneNotFound(milestoneId);
  if (milestone.status === 'completed' || milestone.status === 'cancelled') {
    throw new MilestoneClosed({ milestoneId, status: milestone.status });
  }
  return milestone;
}

/** The first progress on a published commitment starts it. */
function startIfPublished(commitment: OpenCommitment, now: Timestamp): CommitmentStarted[] {
  return commitment.status === 'published'
    ? [{ type: 'CommitmentStarted', data: { commitmentId: commitment.id, startedAt: now } }]
    : [];
}

function checkWithinCommitment(
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
function checkMilestonesWithin(
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

function notBeforeRegistration(state: CommitmentState, now: Timestamp): void {
  if (state.status === 'empty' || Date.parse(now) >= Date.parse(state.registeredAt)) return;
  throw new InvalidCommand({
    field: 'occurredAt',
    rule: 'not_before_registration',
    message: `occurredAt must not be before the commitment's registration (${state.registeredAt})`,
  });
}

function timestampOf(context: DecideContext): Timestamp {
  if (!(context.now instanceof Date) || Number.isNaN(context.now.getTime())) {
    throw new InvalidCommand({ field: 'occurredAt', rule: 'valid_timestamp' });
  }
  return context.now.toISOString();
}

function unreachable(command: never): never {
  throw new InvalidCommand({
    field: 'type',
    rule: 'one_of',
    message: `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`,
  });
}
