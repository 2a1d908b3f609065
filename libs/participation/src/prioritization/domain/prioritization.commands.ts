/** Commands of a prioritization exercise. The decider checks every field's shape. */

export interface OpenPrioritization {
  type: 'OpenPrioritization';
  data: {
    prioritizationId: string;
    title: string;
    description?: string;
    agencyId: string;
    commitmentId?: string;
    milestoneId?: string;
    topics: { id: string; title: string }[];
    opensAt: string;
    closesAt: string;
    method: string;
  };
}

export interface CastBallot {
  type: 'CastBallot';
  data: {
    prioritizationId: string;
    /** Set by the server from the caller, never by the client. */
    participant: string;
    ranking: string[];
  };
}

export interface ClosePrioritization {
  type: 'ClosePrioritization';
  data: { prioritizationId: string };
}

export type PrioritizationCommand = OpenPrioritization | CastBallot | ClosePrioritization;
export type PrioritizationCommandType = PrioritizationCommand['type'];
