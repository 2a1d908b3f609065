import { sameStandings, type BordaStanding } from './borda.js';
import { countedBallots, countOf } from './prioritization.count.js';
import {
  PRIORITIZATION_SCHEMA_VERSIONS,
  type PrioritizationClosed,
  type StoredPrioritizationEvent,
} from './prioritization.events.js';
import { evolvePrioritization } from './prioritization.evolve.js';
import { initialPrioritizationState, type Exercise } from './prioritization.state.js';

/** One event of an exercise's stream as a log or an export holds it. */
export interface TallyEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: object;
}

/** What a recount from the log found. */
export type Tally =
  | { outcome: 'not_found' }
  | {
      outcome: 'match' | 'mismatch' | 'not_closed';
      exercise: Exercise;
      /** The Borda count of the ballots in the log, made again here. */
      recount: { countedBallots: string[]; standings: BordaStanding[] };
      /** What the closing event recorded; absent while the exercise is open. */
      recorded?: { countedBallots: string[]; standings: BordaStanding[] };
    };

/** An event of a type or schema version this tally does not know how to read. */
export class UnreadableTallyEvent extends Error {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`event ${eventId} ${reason}`);
    this.name = 'UnreadableTallyEvent';
  }
}

/**
 * Counts an exercise again from its stream's events (oldest first), as anyone can from an
 * export: each participant's last ballot before the closing, counted with the Borda rule,
 * compared with the result the closing recorded. Pure.
 * @throws UnreadableTallyEvent for an event this version cannot read (an unknown type or a
 * schema version other than the one it was written at).
 */
export function tallyPrioritization(events: readonly TallyEvent[]): Tally {
  let state = initialPrioritizationState;
  let closing: PrioritizationClosed | undefined;
  for (const event of events) {
    const current = (PRIORITIZATION_SCHEMA_VERSIONS as Record<string, number | undefined>)[
      event.type
    ];
    if (current === undefined) {
      throw new UnreadableTallyEvent(
        event.id,
        `has the type ${event.type}, not a prioritization's`,
      );
    }
    if (event.schemaVersion !== current) {
      throw new UnreadableTallyEvent(
        event.id,
        `is ${event.type} at schema version ${event.schemaVersion}; this tally reads version ${current}`,
      );
    }
    const stored = {
      id: event.id,
      type: event.type,
      data: event.data,
    } as StoredPrioritizationEvent;
    if (stored.type === 'PrioritizationClosed') {
      closing = stored;
      break;
    }
    state = evolvePrioritization(state, stored);
  }
  if (state.status === 'none') return { outcome: 'not_found' };
  const recount = {
    countedBallots: countedBallots(state.ballots).map((ballot) => ballot.eventId),
    standings: countOf(state.exercise, state.ballots),
  };
  if (closing === undefined) return { outcome: 'not_closed', exercise: state.exercise, recount };
  const recorded = {
    countedBallots: closing.data.countedBallots,
    standings: closing.data.standings,
  };
  const match =
    sameStandings(recount.standings, recorded.standings) &&
    recount.countedBallots.length === recorded.countedBallots.length &&
    recount.countedBallots.every((id, i) => id === recorded.countedBallots[i]);
  return { outcome: match ? 'match' : 'mismatch', exercise: state.exercise, recount, recorded };
}
