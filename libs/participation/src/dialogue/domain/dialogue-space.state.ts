import type { CalendarDate } from '#kernel';
import type {
  ActionEvidence,
  DialogueSpaceFields,
  GroupCount,
  Minutes,
  TerritoryCount,
  Timestamp,
} from './dialogue-space.events.js';

export type DialogueSpaceStatus = 'convened' | 'held' | 'cancelled';
export type ImprovementActionStatus = 'agreed' | 'in_progress' | 'completed' | 'cancelled';

export interface Attendance {
  total: number;
  byGroup: GroupCount[];
  byTerritory: TerritoryCount[];
  minutes?: Minutes;
  recordedAt: Timestamp;
  /** How many times it was corrected. */
  corrections: number;
}

export interface ImprovementActionReport {
  status: 'in_progress' | 'completed' | 'cancelled';
  percent: number;
  note?: string;
  evidence: ActionEvidence[];
  reportedAt: Timestamp;
  reason?: string;
}

export interface ImprovementAction {
  actionId: string;
  commitmentId: string;
  description: string;
  responsibleAgency: string;
  dueDate: CalendarDate;
  agreedAt: Timestamp;
  status: ImprovementActionStatus;
  percent: number;
  reports: ImprovementActionReport[];
  completedAt?: Timestamp;
  cancelledAt?: Timestamp;
  cancellationReason?: string;
}

export interface RecordedDialogueSpace extends DialogueSpaceFields {
  status: DialogueSpaceStatus;
  dialogueSpaceId: string;
  agencyId: string;
  recordedAt: Timestamp;
  heldAt?: Timestamp;
  cancelledAt?: Timestamp;
  cancellationReason?: string;
  attendance?: Attendance;
  /** In the order they were agreed. */
  actions: ImprovementAction[];
}

export type DialogueSpaceState = { status: 'empty' } | RecordedDialogueSpace;

export const initialDialogueSpaceState: DialogueSpaceState = { status: 'empty' };
