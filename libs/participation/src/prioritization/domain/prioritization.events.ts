import type { BordaStanding, CountingMethod } from './borda.js';

/**
 * Events of a topic prioritization exercise (stream `prioritization-<id>`). Plain JSON, as
 * the log hashes it: optional members are absent, never undefined. Times are ISO-8601
 * instants.
 */

/** A candidate topic: a stable id ballots name, and its title. */
export interface CandidateTopic {
  id: string;
  title: string;
}

export interface PrioritizationOpened {
  type: 'PrioritizationOpened';
  data: {
    prioritizationId: string;
    title: string;
    description?: string;
    /** The agency that runs it: its stewards close it. */
    agencyId: string;
    /** The commitment and milestone it serves, when it serves one. */
    commitmentId?: string;
    milestoneId?: string;
    /** In their published order, which also breaks full ties. */
    topics: CandidateTopic[];
    opensAt: string;
    closesAt: string;
    method: CountingMethod;
    /** The counting rule in words, as published (BORDA_RULE). */
    methodRule: string;
  };
}

export interface BallotCast {
  type: 'BallotCast';
  data: {
    prioritizationId: string;
    /** Who cast it: an authenticated subject, or an anonymous caller's pseudonymous id. */
    participant: string;
    /** Topic ids, most important first. */
    ranking: string[];
    /** The id of this participant's earlier ballot, which this one replaces. */
    replaces?: string;
  };
}

export interface PrioritizationClosed {
  type: 'PrioritizationClosed';
  data: {
    prioritizationId: string;
    method: CountingMethod;
    /** The ids of the BallotCast events counted (each participant's last), in log order. */
    countedBallots: string[];
    standings: BordaStanding[];
  };
}

export type PrioritizationEvent = PrioritizationOpened | BallotCast | PrioritizationClosed;
export type PrioritizationEventType = PrioritizationEvent['type'];
export type StoredPrioritizationEvent = PrioritizationEvent & { id: string };

/** The schema version each event type is written at. */
export const PRIORITIZATION_SCHEMA_VERSIONS: Readonly<Record<PrioritizationEventType, number>> = {
  PrioritizationOpened: 1,
  BallotCast: 1,
  PrioritizationClosed: 1,
};

export const PRIORITIZATION_EVENT_TYPES = Object.keys(
  PRIORITIZATION_SCHEMA_VERSIONS,
) as PrioritizationEventType[];

/** The event store's name of an exercise's stream. */
export function prioritizationStream(prioritizationId: string): string {
  return `prioritization-${prioritizationId}`;
}
