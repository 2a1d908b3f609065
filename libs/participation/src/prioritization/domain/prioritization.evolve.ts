import type { StoredPrioritizationEvent } from './prioritization.events.js';
import { ballotKey, type CountedBallot, type PrioritizationState } from './prioritization.state.js';

/**
 * Folds one event into the state. A participant's new ballot takes the place of their
 * earlier one, and moves to the end of the ballots (the order they were last cast in).
 */
export function evolvePrioritization(
  state: PrioritizationState,
  event: StoredPrioritizationEvent,
): PrioritizationState {
  switch (event.type) {
    case 'PrioritizationOpened': {
      const { prioritizationId, title, agencyId, topics, opensAt, closesAt, method, methodRule } =
        event.data;
      return {
        status: 'open',
        exercise: {
          prioritizationId,
          title,
          ...(event.data.description !== undefined && { description: event.data.description }),
          agencyId,
          ...(event.data.commitmentId !== undefined && { commitmentId: event.data.commitmentId }),
          ...(event.data.milestoneId !== undefined && { milestoneId: event.data.milestoneId }),
          topics,
          opensAt,
          closesAt,
          method,
          methodRule,
        },
        ballots: {},
        ballotsCast: 0,
      };
    }
    case 'BallotCast': {
      if (state.status === 'none') return state;
      const { participant, ranking } = event.data;
      const ballot: CountedBallot = { eventId: event.id, participant, ranking };
      const ballots: Record<string, CountedBallot> = { ...state.ballots };
      // Keys are prefixed so that no participant id reads as an array index, which objects
      // would order before the others.
      const key = ballotKey(participant);
      delete ballots[key];
      ballots[key] = ballot;
      return { ...state, ballots, ballotsCast: state.ballotsCast + 1 };
    }
    case 'PrioritizationClosed': {
      if (state.status === 'none') return state;
      const { countedBallots, standings } = event.data;
      return { ...state, status: 'closed', result: { countedBallots, standings } };
    }
  }
}
