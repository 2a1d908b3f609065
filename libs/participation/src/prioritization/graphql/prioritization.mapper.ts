import type { RecordedEvent } from '#event-store';
import { diffFields, type FieldChange } from '#kernel';
import type { HistoryEntry } from '#platform';
import {
  countedBallots,
  countOf,
  type BordaStanding,
  type CandidateTopic,
  type PrioritizationState,
} from '../domain/index.js';
import type { PrioritizationRow } from '../read-models/prioritizations/prioritization.entity.js';
import {
  PrioritizationStatusEnum,
  type PrioritizationModel,
  type PrioritizationStandingModel,
} from './models/prioritization.model.js';

/** A model and, when it was read from the stream, the state the live count comes from. */
export type PrioritizationView = PrioritizationModel & { state?: PrioritizationState };

/** Standings with each topic's title, for people. */
export function standingsOf(
  topics: readonly CandidateTopic[],
  standings: readonly BordaStanding[],
): PrioritizationStandingModel[] {
  const titles = new Map(topics.map((topic) => [topic.id, topic.title]));
  return standings.map((line) => ({ ...line, title: titles.get(line.topicId) ?? line.topicId }));
}

/** An exercise as the list's row holds it. */
export function prioritizationFromRow(row: PrioritizationRow): PrioritizationView {
  const closed = row.status === 'closed';
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    agencyId: row.agencyId,
    commitmentId: row.commitmentId,
    milestoneId: row.milestoneId,
    topics: row.topics,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    method: row.method,
    methodRule: '',
    status: closed ? PrioritizationStatusEnum.CLOSED : PrioritizationStatusEnum.OPEN,
    ballotsCast: row.ballotsCast,
    participants: row.participants,
    result: null,
    version: row.version,
  };
}

/**
 * An exercise folded from its stream (`events`, the ones folded). Null when the stream has no
 * opening (in the time travelled to).
 */
export function prioritizationFromState(
  state: PrioritizationState,
  events: readonly RecordedEvent[],
  version: number,
): PrioritizationView | null {
  if (state.status === 'none') return null;
  const { exercise } = state;
  const closing = events.find((event) => event.type === 'PrioritizationClosed');
  return {
    id: exercise.prioritizationId,
    title: exercise.title,
    description: exercise.description ?? null,
    agencyId: exercise.agencyId,
    commitmentId: exercise.commitmentId ?? null,
    milestoneId: exercise.milestoneId ?? null,
    topics: exercise.topics,
    opensAt: new Date(exercise.opensAt),
    closesAt: new Date(exercise.closesAt),
    method: exercise.method,
    methodRule: exercise.methodRule,
    status:
      state.status === 'closed' ? PrioritizationStatusEnum.CLOSED : PrioritizationStatusEnum.OPEN,
    ballotsCast: state.ballotsCast,
    participants: countedBallots(state.ballots).length,
    result:
      state.status === 'closed'
        ? {
            closedAt: new Date(closing?.metadata.occurredAt ?? exercise.closesAt),
            countedBallots: state.result.countedBallots,
            standings: standingsOf(exercise.topics, state.result.standings),
          }
        : null,
    version,
    state,
  };
}

/** The live count of an open exercise's state; null once closed (its result is recorded). */
export function liveCountOf(state: PrioritizationState): PrioritizationStandingModel[] | null {
  if (state.status !== 'open') return null;
  return standingsOf(state.exercise.topics, countOf(state.exercise, state.ballots));
}

/** What a history entry changed, in the terms the API shows an exercise. */
export function prioritizationChanges(
  entry: Pick<HistoryEntry<PrioritizationState>, 'before' | 'after'>,
): FieldChange[] {
  return diffFields(publicView(entry.before), publicView(entry.after));
}

function publicView(state: PrioritizationState): Record<string, unknown> | null {
  if (state.status === 'none') return null;
  return {
    status: state.status === 'closed' ? 'CLOSED' : 'OPEN',
    title: state.exercise.title,
    topics: state.exercise.topics.map((topic) => topic.id),
    opensAt: state.exercise.opensAt,
    closesAt: state.exercise.closesAt,
    ballotsCast: state.ballotsCast,
    participants: countedBallots(state.ballots).length,
    ...(state.status === 'closed' && { result: state.result.standings }),
  };
}
