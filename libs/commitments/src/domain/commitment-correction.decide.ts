import { InvalidCommand, defined, identifier, sameJson, text } from '#kernel';
import type { CorrectEvent } from './commitment.commands.js';
import {
  correctedCopy,
  currentVersion,
  isCorrectable,
  isRetractable,
} from './commitment.correction.js';
import { EventNotFound, MilestoneNotFound, UncorrectableEvent } from './commitment.errors.js';
import type { CommitmentEvent, EventCorrected, Timestamp } from './commitment.events.js';
import { evolve } from './commitment.evolve.js';
import { agencyIdFixed, checkMilestonesWithin, registeredCommitment } from './commitment.guards.js';
import type { CommitmentState } from './commitment.state.js';

// Corrections: the one command a closed commitment still takes.

/**
 * The one command a closed commitment still takes. The corrected history must still hold
 * together, so it is folded and checked before the correction is accepted.
 */
export function correctEvent(
  command: CorrectEvent,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = registeredCommitment(command, state);
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

/** The checks every command makes, on the history as a correction would leave it. */
export function checkCorrectedHistory(state: CommitmentState): void {
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
