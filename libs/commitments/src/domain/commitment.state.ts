import type { PlannedDate } from '#kernel';
import type {
  BudgetPhase,
  CommitmentFields,
  CorrectableEvent,
  Evidence,
  StoredCommitmentEvent,
  Timestamp,
} from './commitment.events.js';

export type EvidenceRecord = Evidence & { reportedAt: Timestamp };

interface MilestoneBase {
  id: string;
  title: string;
  responsibleOffice: string;
  plannedStart: PlannedDate;
  plannedEnd: PlannedDate;
  /** Whole percent, 0 to 100; 100 once completed. */
  progress: number;
  lastReportedAt?: Timestamp;
  evidence: EvidenceRecord[];
  /** How many times the planned dates were moved. */
  reschedules: number;
  /** Its weight in the commitment's roll-up, once a steward set one (else 1). */
  weight?: number;
}

/**
 * `delayed`: rescheduled, after publication, to end later than planned; it stays delayed
 * until it is completed or cancelled.
 */
export type Milestone =
  | (MilestoneBase & { status: 'scheduled' | 'in_progress' | 'delayed' })
  | (MilestoneBase & { status: 'completed'; completedAt: Timestamp })
  | (MilestoneBase & { status: 'cancelled'; cancelledAt: Timestamp; cancellationReason: string });

export type MilestoneStatus = Milestone['status'];

export interface BudgetLine {
  id: string;
  fundingSource: string;
  milestoneId?: string;
  /** The latest amount recorded for each phase, in whole COP. */
  amounts: Partial<Record<BudgetPhase, number>>;
}

export interface CorrectionRecord {
  /** The id of the EventCorrected event. */
  eventId: string;
  correctedEventId: string;
  correctedEventType: CorrectableEvent['type'];
  retracted: boolean;
  reason: string;
  correctedAt: Timestamp;
}

interface CommitmentBody extends CommitmentFields {
  id: string;
  registeredAt: Timestamp;
  /** In the order they were added. */
  milestones: Milestone[];
  budget: BudgetLine[];
  corrections: CorrectionRecord[];
  /**
   * Every event folded so far, corrections included: a correction refolds the history it
   * amends, and decide checks what a correction refers to. Bookkeeping, not a field of the
   * commitment (a history's changes leave it out).
   */
  history: StoredCommitmentEvent[];
}

export type CommitmentState =
  | { status: 'empty' }
  | (CommitmentBody & { status: 'draft' })
  | (CommitmentBody & { status: 'published'; publishedAt: Timestamp })
  | (CommitmentBody & { status: 'in_progress'; publishedAt: Timestamp; startedAt: Timestamp })
  | (CommitmentBody & {
      status: 'completed';
      publishedAt: Timestamp;
      startedAt: Timestamp;
      completedAt: Timestamp;
    })
  | (CommitmentBody & {
      status: 'withdrawn';
      withdrawnAt: Timestamp;
      withdrawalReason: string;
      /** Present when the commitment was published before it was withdrawn. */
      publishedAt?: Timestamp;
      startedAt?: Timestamp;
    });

export type CommitmentStatus = CommitmentState['status'];
export type RegisteredCommitment = Exclude<CommitmentState, { status: 'empty' }>;
/** The states in which a commitment still accepts changes. */
export type OpenCommitment = Extract<
  CommitmentState,
  { status: 'draft' | 'published' | 'in_progress' }
>;

export const initialState: CommitmentState = { status: 'empty' };
