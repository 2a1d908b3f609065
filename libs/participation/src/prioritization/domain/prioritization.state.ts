import type { BordaStanding, CountingMethod } from './borda.js';
import type { CandidateTopic } from './prioritization.events.js';

/** What an exercise publishes when it opens. */
export interface Exercise {
  prioritizationId: string;
  title: string;
  description?: string;
  agencyId: string;
  commitmentId?: string;
  milestoneId?: string;
  topics: CandidateTopic[];
  opensAt: string;
  closesAt: string;
  method: CountingMethod;
  methodRule: string;
}

/** A participant's ballot that counts now: their last. */
export interface CountedBallot {
  /** The BallotCast event's id. */
  eventId: string;
  participant: string;
  ranking: string[];
}

export interface PrioritizationResult {
  countedBallots: string[];
  standings: BordaStanding[];
}

export type PrioritizationState =
  | { status: 'none' }
  | {
      status: 'open';
      exercise: Exercise;
      /** Each participant's last ballot, by `ballotKey(participant)`, in the order they were last cast. */
      ballots: Readonly<Record<string, CountedBallot>>;
      /** Ballots cast in all, replacements included. */
      ballotsCast: number;
    }
  | {
      status: 'closed';
      exercise: Exercise;
      ballots: Readonly<Record<string, CountedBallot>>;
      ballotsCast: number;
      result: PrioritizationResult;
    };

/** The key of a participant's ballot in `ballots`. */
export function ballotKey(participant: string): string {
  return `p:${participant}`;
}

export const initialPrioritizationState: PrioritizationState = { status: 'none' };
