import { lastDayOf } from '#kernel';
import { effectiveHistory } from './commitment.correction.js';
import type {
  BudgetRecorded,
  CommitmentRegistered,
  Evidence,
  EventCorrected,
  StoredCommitmentEvent,
  Timestamp,
} from './commitment.events.js';
import {
  initialState,
  type BudgetLine,
  type CommitmentState,
  type EvidenceRecord,
  type Milestone,
  type RegisteredCommitment,
} from './commitment.state.js';
import { defined } from '#kernel';

/**
 * The state after `event`. Pure and total: a fold over stored history must never fail, so an
 * event that does not fit the state (which decide never produces) leaves it unchanged rather
 * than throwing, and is still kept in `history`.
 */
export function evolve(state: CommitmentState, event: StoredCommitmentEvent): CommitmentState {
  if (state.status === 'empty') {
    return event.type === 'CommitmentRegistered' ? registered(event) : state;
  }
  const history = [...state.history, event];
  return { ...apply(state, event, history), history };
}

/** Folds a whole stream, oldest first. */
export function foldCommitment(events: readonly StoredCommitmentEvent[]): CommitmentState {
  return events.reduce(evolve, initialState);
}

function registered(event: StoredCommitmentEvent & CommitmentRegistered): CommitmentState {
  const { commitmentId, registeredAt, ...fields } = event.data;
  return {
    status: 'draft',
    id: commitmentId,
    ...fields,
    registeredAt,
    milestones: [],
    budget: [],
    corrections: [],
    history: [event],
  };
}

function apply(
  state: RegisteredCommitment,
  event: StoredCommitmentEvent,
  history: StoredCommitmentEvent[],
): RegisteredCommitment {
  switch (event.type) {
    case 'CommitmentRegistered':
      // A stream holds one registration; decide never records a second.
      return state;
    case 'CommitmentRevised':
      return { ...state, ...event.data.changes };
    case 'CommitmentPublished':
      return state.status === 'draft'
        ? { ...state, status: 'published', publishedAt: event.data.publishedAt }
        : state;
    case 'CommitmentStarted':
      return state.status === 'published'
        ? { ...state, status: 'in_progress', startedAt: event.data.startedAt }
        : state;
    case 'CommitmentCompleted':
      return state.status === 'in_progress'
        ? { ...state, status: 'completed', completedAt: event.data.completedAt }
        : state;
    case 'CommitmentWithdrawn':
      return state.status === 'completed' || state.status === 'withdrawn'
        ? state
        : {
            ...state,
            status: 'withdrawn',
            withdrawnAt: event.data.withdrawnAt,
            withdrawalReason: event.data.reason,
          };
    case 'MilestoneAdded': {
      const { commitmentId: _c, milestoneId, ...planned } = event.data;
      if (state.milestones.some((m) => m.id === milestoneId)) return state;
      const milestone: Milestone = {
        id: milestoneId,
        ...planned,
        status: 'scheduled',
        progress: 0,
        evidence: [],
        reschedules: 0,
      };
      return { ...state, milestones: [...state.milestones, milestone] };
    }
    case 'MilestoneRescheduled': {
      const { plannedStart, plannedEnd } = event.data;
      // Only a slip once the plan is public counts as a delay; moving dates in a draft is
      // still drafting.
      const public_ = state.status === 'published' || state.status === 'in_progress';
      return updateMilestone(state, event.data.milestoneId, (m) => {
        if (m.status === 'completed' || m.status === 'cancelled') return m;
        const slipped = public_ && lastDayOf(plannedEnd) > lastDayOf(m.plannedEnd);
        return {
          ...m,
          plannedStart,
          plannedEnd,
          reschedules: m.reschedules + 1,
          status: slipped ? 'delayed' : m.status,
        };
      });
    }
    case 'MilestoneProgressReported': {
      const { percent, reportedAt, evidence } = event.data;
      return updateMilestone(state, event.data.milestoneId, (m) => {
        if (m.status === 'completed' || m.status === 'cancelled') return m;
        return {
          ...m,
          // A delay is about dates, so progress does not clear it.
          status: m.status === 'delayed' ? 'delayed' : percent > 0 ? 'in_progress' : 'scheduled',
          progress: percent,
          lastReportedAt: reportedAt,
          evidence: [...m.evidence, ...records(evidence, reportedAt)],
        };
      });
    }
    case 'MilestoneCompleted': {
      const { completedAt, evidence } = event.data;
      return updateMilestone(state, event.data.milestoneId, (m) =>
        m.status === 'completed' || m.status === 'cancelled'
          ? m
          : {
              ...m,
              status: 'completed',
              completedAt,
              progress: 100,
              evidence: [...m.evidence, ...records(evidence, completedAt)],
            },
      );
    }
    case 'MilestoneCancelled': {
      const { cancelledAt, reason } = event.data;
      return updateMilestone(state, event.data.milestoneId, (m) =>
        m.status === 'completed' || m.status === 'cancelled'
          ? m
          : { ...m, status: 'cancelled', cancelledAt, cancellationReason: reason },
      );
    }
    case 'MilestoneWeightsSet': {
      const weights = new Map(event.data.weights.map((w) => [w.milestoneId, w.weight]));
      return {
        ...state,
        milestones: state.milestones.map((m) => {
          const weight = weights.get(m.id);
          return weight === undefined || weight === m.weight ? m : { ...m, weight };
        }),
      };
    }
    case 'BudgetRecorded':
      return { ...state, budget: recordBudget(state.budget, event) };
    case 'EventCorrected':
      return refold(state, event, history);
    default: {
      // Compile-time exhaustiveness; at run time an unknown type changes nothing.
      const _unknown: never = event;
      return state;
    }
  }
}

function updateMilestone(
  state: RegisteredCommitment,
  milestoneId: string,
  change: (milestone: Milestone) => Milestone,
): RegisteredCommitment {
  if (!state.milestones.some((m) => m.id === milestoneId)) return state;
  return {
    ...state,
    milestones: state.milestones.map((m) => (m.id === milestoneId ? change(m) : m)),
  };
}

function records(evidence: Evidence[] | undefined, reportedAt: Timestamp): EvidenceRecord[] {
  return (evidence ?? []).map((e) => ({ ...e, reportedAt }));
}

function recordBudget(lines: BudgetLine[], event: BudgetRecorded): BudgetLine[] {
  const { lineId, phase, amountCop, fundingSource, milestoneId } = event.data;
  const existing = lines.find((line) => line.id === lineId);
  const line: BudgetLine = defined({
    id: lineId,
    fundingSource,
    milestoneId,
    amounts: { ...existing?.amounts, [phase]: amountCop },
  });
  return existing === undefined ? [...lines, line] : lines.map((l) => (l.id === lineId ? line : l));
}

/**
 * A correction rewrites the past, so the state is rebuilt from the history as corrected
 * (see `effectiveHistory`). Streams are short (tens to hundreds of events), so refolding is
 * cheaper than keeping enough per event to undo it.
 */
function refold(
  state: RegisteredCommitment,
  event: StoredCommitmentEvent & EventCorrected,
  history: StoredCommitmentEvent[],
): RegisteredCommitment {
  const rebuilt = foldCommitment(effectiveHistory(history));
  // Registrations cannot be retracted, so the rebuilt state is never empty.
  if (rebuilt.status === 'empty') return state;
  const { correctedEventId, correctedEventType, reason, correctedAt, replacement } = event.data;
  return {
    ...rebuilt,
    corrections: [
      ...state.corrections,
      {
        eventId: event.id,
        correctedEventId,
        correctedEventType,
        retracted: replacement === undefined,
        reason,
        correctedAt,
      },
    ],
  };
}
