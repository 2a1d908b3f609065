import type { CalendarDate, PlannedDate } from '#kernel';

/**
 * Event data is stored as JSON and hashed as RFC 8785 canonical JSON, so every shape here is
 * plain JSON: strings, integers, arrays and objects, with optional members absent (never
 * `undefined`, which canonicalization rejects). Times are ISO-8601 instants (`...Z`) taken
 * from the command's business time; days are `CalendarDate`s. Each type's schema version is in
 * `COMMITMENT_SCHEMA_VERSIONS`; older versions are upcast when read (`commitment-upcasters.ts`).
 */
export type { CalendarDate, PlannedDate };

/** An ISO-8601 instant (`Date.prototype.toISOString`), the business time of a command. */
export type Timestamp = string;

/** OGP values, as the action-plan template lists them. */
export const OGP_VALUES = [
  'transparency',
  'citizen_participation',
  'public_accountability',
  'technology_and_innovation',
  'inclusion',
] as const;
export type OgpValue = (typeof OGP_VALUES)[number];

/** An OGP value the commitment is relevant to, with the template's "how" answer if given. */
export interface OgpValueEntry {
  value: OgpValue;
  relevance?: string;
}

/**
 * The lead implementing agency. `id` is what stewards' tokens name and events record as the
 * actor's agency (`lead-agency.ts`): given at registration, or derived from the name then, and
 * never changed after, so revising the name keeps the agency's stewards.
 */
export interface LeadAgency {
  id: string;
  name: string;
  /** The agency's offices that implement the commitment (secretarías, oficinas asesoras). */
  offices: string[];
}

/**
 * Where a commitment applies, in Colombian territorial units. `comunas` holds comunas or, in
 * Cartagena, unidades comuneras de gobierno (UCG). Empty lists mean "not stated".
 */
export interface TerritorialScope {
  localidades: string[];
  comunas: string[];
  corregimientos: string[];
}

/**
 * The OGP commitment template, as recorded. Narrative fields may be absent while the
 * commitment is a draft; publishing requires them (see `requiredForPublication`).
 */
export interface CommitmentFields {
  /** Short unique handle used to look the commitment up, e.g. `CartagenaCuenta-2023`. */
  code: string;
  title: string;
  actionPlanId: string;
  startDate: CalendarDate;
  endDate: CalendarDate;
  leadAgency: LeadAgency;
  /** Non-governmental stakeholders that co-lead or support the commitment. */
  stakeholders: string[];
  problem?: string;
  statusQuo?: string;
  action?: string;
  /** How the commitment will contribute to solving the problem. */
  contribution?: string;
  longTermGoal?: string;
  policyAreas: string[];
  ogpValues: OgpValueEntry[];
  resources?: string;
  territories: TerritorialScope;
  inclusionGroups: string[];
}

interface EvidenceBase {
  /** SHA-256 of the document's bytes, 64 lower-case hex digits. */
  sha256: string;
  /** IANA media type, lower case, e.g. `application/pdf`. */
  mediaType: string;
  description: string;
}

/**
 * Proof of progress: a link or a document, identified by its hash. Only the hash is in the
 * log; the document itself may live elsewhere.
 */
export type Evidence =
  | (EvidenceBase & { kind: 'link'; url: string })
  | (EvidenceBase & { kind: 'document'; fileName: string });

/** Budget phases as in the Open Fiscal Data Package. */
export const BUDGET_PHASES = ['proposed', 'approved', 'adjusted', 'executed'] as const;
export type BudgetPhase = (typeof BUDGET_PHASES)[number];

export type CommitmentRegistered = {
  type: 'CommitmentRegistered';
  data: { commitmentId: string } & CommitmentFields & { registeredAt: Timestamp };
};

/** `changes` holds only the fields that changed, with their new values. */
export type CommitmentRevised = {
  type: 'CommitmentRevised';
  data: { commitmentId: string; changes: Partial<CommitmentFields>; reason: string };
};

export type CommitmentPublished = {
  type: 'CommitmentPublished';
  data: { commitmentId: string; publishedAt: Timestamp };
};

/** Recorded with the first progress on a published commitment; no command asks for it. */
export type CommitmentStarted = {
  type: 'CommitmentStarted';
  data: { commitmentId: string; startedAt: Timestamp };
};

export type CommitmentCompleted = {
  type: 'CommitmentCompleted';
  data: { commitmentId: string; completedAt: Timestamp; note?: string };
};

export type CommitmentWithdrawn = {
  type: 'CommitmentWithdrawn';
  data: { commitmentId: string; withdrawnAt: Timestamp; reason: string };
};

export type MilestoneAdded = {
  type: 'MilestoneAdded';
  data: {
    commitmentId: string;
    milestoneId: string;
    title: string;
    responsibleOffice: string;
    plannedStart: PlannedDate;
    plannedEnd: PlannedDate;
  };
};

export type MilestoneRescheduled = {
  type: 'MilestoneRescheduled';
  data: {
    commitmentId: string;
    milestoneId: string;
    plannedStart: PlannedDate;
    plannedEnd: PlannedDate;
    reason: string;
  };
};

export type MilestoneProgressReported = {
  type: 'MilestoneProgressReported';
  data: {
    commitmentId: string;
    milestoneId: string;
    /** Whole percent, 0 to 100. */
    percent: number;
    reportedAt: Timestamp;
    note?: string;
    evidence?: Evidence[];
  };
};

export type MilestoneCompleted = {
  type: 'MilestoneCompleted';
  data: {
    commitmentId: string;
    milestoneId: string;
    completedAt: Timestamp;
    note?: string;
    evidence?: Evidence[];
  };
};

export type MilestoneCancelled = {
  type: 'MilestoneCancelled';
  data: { commitmentId: string; milestoneId: string; cancelledAt: Timestamp; reason: string };
};

/**
 * The roll-up weights of some of the commitment's milestones, replacing theirs; milestones not
 * listed keep the weight they had (1 unless set). See `rollup.ts`.
 */
export type MilestoneWeightsSet = {
  type: 'MilestoneWeightsSet';
  data: {
    commitmentId: string;
    weights: { milestoneId: string; weight: number }[];
    reason: string;
    setAt: Timestamp;
  };
};

/**
 * The amount of one budget line in one phase, as of this record: it replaces the line's
 * earlier amount for the same phase (executed amounts are cumulative, not increments).
 * `reason` is present whenever the record changes an approved amount.
 */
export type BudgetRecorded = {
  type: 'BudgetRecorded';
  data: {
    commitmentId: string;
    lineId: string;
    phase: BudgetPhase;
    /** Whole Colombian pesos (COP), a safe integer >= 0. */
    amountCop: number;
    fundingSource: string;
    milestoneId?: string;
    reason?: string;
  };
};

/** The event types a correction may supersede with a corrected copy. */
export type CorrectableEvent =
  | CommitmentRegistered
  | CommitmentRevised
  | MilestoneAdded
  | MilestoneRescheduled
  | MilestoneProgressReported
  | MilestoneCompleted
  | BudgetRecorded;

/**
 * Supersedes an earlier event of the same stream: with `replacement`, the history reads as if
 * that event had carried the replacement's data; without it, as if it had never happened (a
 * retraction). Nothing is edited or deleted: both events stay in the log.
 */
export type EventCorrected = {
  type: 'EventCorrected';
  data: {
    commitmentId: string;
    correctedEventId: string;
    correctedEventType: CorrectableEvent['type'];
    reason: string;
    correctedAt: Timestamp;
    replacement?: CorrectableEvent;
  };
};

export type CommitmentEvent =
  | CommitmentRegistered
  | CommitmentRevised
  | CommitmentPublished
  | CommitmentStarted
  | CommitmentCompleted
  | CommitmentWithdrawn
  | MilestoneAdded
  | MilestoneRescheduled
  | MilestoneProgressReported
  | MilestoneCompleted
  | MilestoneCancelled
  | MilestoneWeightsSet
  | BudgetRecorded
  | EventCorrected;

export type CommitmentEventType = CommitmentEvent['type'];

/** An event as read back from its stream: evolve needs the id so corrections can refer to it. */
export type StoredCommitmentEvent = CommitmentEvent & { id: string };

// A record, not a list, so that adding an event type without listing it here fails to compile.
const EVENT_TYPES: Record<CommitmentEventType, true> = {
  CommitmentRegistered: true,
  CommitmentRevised: true,
  CommitmentPublished: true,
  CommitmentStarted: true,
  CommitmentCompleted: true,
  CommitmentWithdrawn: true,
  MilestoneAdded: true,
  MilestoneRescheduled: true,
  MilestoneProgressReported: true,
  MilestoneCompleted: true,
  MilestoneCancelled: true,
  MilestoneWeightsSet: true,
  BudgetRecorded: true,
  EventCorrected: true,
};

/** Every event type, e.g. to filter a subscription or a projection. */
export const COMMITMENT_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly CommitmentEventType[];

/**
 * The schema version each event type is written at. Version 2 of the events that carry a
 * `LeadAgency` (a registration, a revision's `changes`, a correction's `replacement`) adds
 * its `id`; version 1 events are read through the upcasters.
 */
export const COMMITMENT_SCHEMA_VERSIONS: Readonly<Record<CommitmentEventType, number>> = {
  CommitmentRegistered: 2,
  CommitmentRevised: 2,
  CommitmentPublished: 1,
  CommitmentStarted: 1,
  CommitmentCompleted: 1,
  CommitmentWithdrawn: 1,
  MilestoneAdded: 1,
  MilestoneRescheduled: 1,
  MilestoneProgressReported: 1,
  MilestoneCompleted: 1,
  MilestoneCancelled: 1,
  MilestoneWeightsSet: 1,
  BudgetRecorded: 1,
  EventCorrected: 2,
};

/** The stream that holds one commitment's events. */
export function commitmentStream(commitmentId: string): string {
  return `commitment-${commitmentId}`;
}
