import type { CalendarDate, PlannedDate } from '#kernel';
import type {
  BudgetPhase,
  Evidence,
  OgpValueEntry,
  TerritorialScope,
} from './commitment.events.js';

/** A JSON value, as a correction's fields arrive from the API. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The lead agency as a caller gives it. `id` may be left out: a registration then derives it
 * from the name (`agencyIdFromName`), and a revision or correction keeps the commitment's.
 */
export interface LeadAgencyInput {
  id?: string;
  name: string;
  offices?: string[];
}

/**
 * The template fields as a caller gives them: lists may be left out (they default to empty),
 * and so may any territorial level. Text is trimmed before it is recorded.
 */
export interface CommitmentFieldsInput {
  code: string;
  title: string;
  actionPlanId: string;
  startDate: CalendarDate;
  endDate: CalendarDate;
  leadAgency: LeadAgencyInput;
  stakeholders?: string[];
  problem?: string;
  statusQuo?: string;
  action?: string;
  contribution?: string;
  longTermGoal?: string;
  policyAreas?: string[];
  ogpValues?: OgpValueEntry[];
  resources?: string;
  territories?: Partial<TerritorialScope>;
  inclusionGroups?: string[];
}

export type RegisterCommitment = {
  type: 'RegisterCommitment';
  /** `commitmentId` is chosen by the caller (a UUID or a slug). */
  data: { commitmentId: string } & CommitmentFieldsInput;
};

/** Changes the fields given in `changes`; a revision always says why. */
export type ReviseCommitment = {
  type: 'ReviseCommitment';
  data: { commitmentId: string; changes: Partial<CommitmentFieldsInput>; reason: string };
};

export type PublishCommitment = {
  type: 'PublishCommitment';
  data: { commitmentId: string };
};

export type AddMilestone = {
  type: 'AddMilestone';
  data: {
    commitmentId: string;
    /** Chosen by the caller; unique within the commitment. */
    milestoneId: string;
    title: string;
    responsibleOffice: string;
    plannedStart: PlannedDate;
    plannedEnd: PlannedDate;
  };
};

export type RescheduleMilestone = {
  type: 'RescheduleMilestone';
  data: {
    commitmentId: string;
    milestoneId: string;
    plannedStart: PlannedDate;
    plannedEnd: PlannedDate;
    reason: string;
  };
};

export type ReportProgress = {
  type: 'ReportProgress';
  data: {
    commitmentId: string;
    milestoneId: string;
    /** Whole percent, 0 to 100. */
    percent: number;
    note?: string;
    evidence?: Evidence[];
  };
};

export type CompleteMilestone = {
  type: 'CompleteMilestone';
  data: { commitmentId: string; milestoneId: string; note?: string; evidence?: Evidence[] };
};

export type CancelMilestone = {
  type: 'CancelMilestone';
  data: { commitmentId: string; milestoneId: string; reason: string };
};

/** Sets the roll-up weights of the milestones listed; always says why. */
export type SetMilestoneWeights = {
  type: 'SetMilestoneWeights';
  data: {
    commitmentId: string;
    weights: { milestoneId: string; weight: number }[];
    reason: string;
  };
};

export type CompleteCommitment = {
  type: 'CompleteCommitment';
  data: { commitmentId: string; note?: string };
};

export type WithdrawCommitment = {
  type: 'WithdrawCommitment';
  data: { commitmentId: string; reason: string };
};

export type RecordBudget = {
  type: 'RecordBudget';
  data: {
    commitmentId: string;
    /** The caller's id for the budget line (e.g. its rubro presupuestal); unique per commitment. */
    lineId: string;
    phase: BudgetPhase;
    /** Whole Colombian pesos, a safe integer >= 0. */
    amountCop: number;
    fundingSource: string;
    /** The milestone the line funds; absent for the commitment as a whole. */
    milestoneId?: string;
    /** Required when the record changes an approved amount. */
    reason?: string;
  };
};

/**
 * Supersedes the event `eventId`. With `corrected`, the fields to change in that event's data
 * (`null` removes an optional field); without it, the event is retracted.
 */
export type CorrectEvent = {
  type: 'CorrectEvent';
  data: {
    commitmentId: string;
    eventId: string;
    reason: string;
    corrected?: { [field: string]: JsonValue };
  };
};

export type CommitmentCommand =
  | RegisterCommitment
  | ReviseCommitment
  | PublishCommitment
  | AddMilestone
  | RescheduleMilestone
  | ReportProgress
  | CompleteMilestone
  | CancelMilestone
  | SetMilestoneWeights
  | CompleteCommitment
  | WithdrawCommitment
  | RecordBudget
  | CorrectEvent;

export type CommitmentCommandType = CommitmentCommand['type'];

/** What decide needs from outside: the command's business time. Never read a clock inside. */
export type { DecideContext } from '#kernel';
