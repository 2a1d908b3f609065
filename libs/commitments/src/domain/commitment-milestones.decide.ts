import { defined, fail, identifier, list, object, optionalText, percent, text } from '#kernel';
import type {
  AddMilestone,
  CancelMilestone,
  CompleteMilestone,
  ReportProgress,
  RescheduleMilestone,
  SetMilestoneWeights,
} from './commitment.commands.js';
import { plannedRange } from './commitment.correction.js';
import { InvalidCommand, MilestoneAlreadyExists, MilestoneNotFound } from './commitment.errors.js';
import type { CommitmentEvent, Timestamp } from './commitment.events.js';
import {
  checkWithinCommitment,
  openCommitment,
  openMilestone,
  publishedOrStarted,
  startIfPublished,
} from './commitment.guards.js';
import type { CommitmentState } from './commitment.state.js';
import { LIMITS, evidenceList } from './commitment.validate.js';
import { DEFAULT_WEIGHT, weight } from './rollup.js';

// The commitment's milestones: added, rescheduled, reported on, completed or cancelled.

export function addMilestone(command: AddMilestone, state: CommitmentState): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
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

export function rescheduleMilestone(
  command: RescheduleMilestone,
  state: CommitmentState,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
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

export function reportProgress(
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

export function completeMilestone(
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

export function cancelMilestone(
  command: CancelMilestone,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  const milestone = openMilestone(commitment, command.data.milestoneId);
  const reason = text(command.data.reason, 'reason');
  return [
    {
      type: 'MilestoneCancelled',
      data: { commitmentId: commitment.id, milestoneId: milestone.id, cancelledAt: now, reason },
    },
  ];
}

/**
 * Sets the roll-up weights of the milestones listed, completed and cancelled ones included
 * (a weight says how much a milestone counts, not where it stands). The commitment must be
 * open; at least one weight must change.
 */
export function setMilestoneWeights(
  command: SetMilestoneWeights,
  state: CommitmentState,
  now: Timestamp,
): CommitmentEvent[] {
  const commitment = openCommitment(command, state);
  const reason = text(command.data.reason, 'reason');
  const entries = list(command.data.weights, 'weights', LIMITS.listEntries);
  if (entries.length === 0) fail('weights', 'required', 'weights lists no milestone');
  const seen = new Set<string>();
  const weights = entries.map((entry, i) => {
    const given = object(entry, `weights.${i}`);
    const field = `weights.${i}.milestoneId`;
    const milestoneId = identifier(given.milestoneId, field);
    if (seen.has(milestoneId)) fail(field, 'unique', `weights lists "${milestoneId}" twice`);
    seen.add(milestoneId);
    if (!commitment.milestones.some((m) => m.id === milestoneId)) {
      throw new MilestoneNotFound(milestoneId, field);
    }
    return { milestoneId, weight: weight(given.weight, `weights.${i}.weight`) };
  });
  const changed = weights.filter(
    (w) =>
      (commitment.milestones.find((m) => m.id === w.milestoneId)?.weight ?? DEFAULT_WEIGHT) !==
      w.weight,
  );
  if (changed.length === 0) {
    fail('weights', 'no_change', 'weights gives every milestone the weight it already has');
  }
  return [
    {
      type: 'MilestoneWeightsSet',
      data: { commitmentId: commitment.id, weights, reason, setAt: now },
    },
  ];
}
