import type { CalendarDate } from '#kernel';

/**
 * Events of a dialogue space's stream (`dialogue-space-<id>`): the space itself, its
 * attendance and the improvement actions it agreed. Plain JSON, optional members absent
 * (never `undefined`); times are ISO-8601 instants from the command's business time.
 */

/** An ISO-8601 instant. */
export type Timestamp = string;

export const DIALOGUE_SPACE_KINDS = [
  'meeting',
  'public_hearing',
  'forum',
  'virtual_session',
] as const;
export type DialogueSpaceKind = (typeof DIALOGUE_SPACE_KINDS)[number];

export const DIALOGUE_CHANNELS = ['in_person', 'online', 'hybrid'] as const;
export type DialogueChannel = (typeof DIALOGUE_CHANNELS)[number];

/** What a space records about itself; revisions change these. */
export interface DialogueSpaceFields {
  kind: DialogueSpaceKind;
  title: string;
  /** When the notice was given. */
  convenedAt: Timestamp;
  /** When the space meets. */
  startsAt: Timestamp;
  /** Where it meets: an address, a hall, or the online room's name. */
  place: string;
  channel: DialogueChannel;
  /** A territory of `territories.ts`; absent: the whole district. */
  territoryId?: string;
  agenda: string[];
  /** The commitments it concerns, all of one lead agency. */
  commitmentIds: string[];
}

/** The minutes of a held space: identified by their hash; only the hash is in the log. */
export interface Minutes {
  /** SHA-256 of the document's bytes, 64 lower-case hex digits. */
  sha256: string;
  /** IANA media type, lower case. */
  mediaType: string;
  url: string;
}

/** One aggregate count of attendees: a category of a dimension (`sex` / `female`). */
export interface GroupCount {
  dimension: string;
  category: string;
  count: number;
}

export interface TerritoryCount {
  territoryId: string;
  count: number;
}

/** Proof of an improvement action's progress, as for milestones: a hash and a link. */
export interface ActionEvidence {
  sha256: string;
  mediaType: string;
  url: string;
  description: string;
}

export const IMPROVEMENT_ACTION_REPORT_STATUSES = [
  'in_progress',
  'completed',
  'cancelled',
] as const;
export type ImprovementActionReportStatus = (typeof IMPROVEMENT_ACTION_REPORT_STATUSES)[number];

export type DialogueSpaceConvened = {
  type: 'DialogueSpaceConvened';
  data: { dialogueSpaceId: string; agencyId: string } & DialogueSpaceFields & {
      recordedAt: Timestamp;
    };
};

/**
 * The fields a revision changed, with their new values; `territoryId: null` makes the space
 * district-wide.
 */
export type DialogueSpaceChanges = Partial<Omit<DialogueSpaceFields, 'territoryId'>> & {
  territoryId?: string | null;
};

export type DialogueSpaceRevised = {
  type: 'DialogueSpaceRevised';
  data: { dialogueSpaceId: string; changes: DialogueSpaceChanges; reason: string };
};

export type DialogueSpaceHeld = {
  type: 'DialogueSpaceHeld';
  data: { dialogueSpaceId: string; heldAt: Timestamp };
};

export type DialogueSpaceCancelled = {
  type: 'DialogueSpaceCancelled';
  data: { dialogueSpaceId: string; cancelledAt: Timestamp; reason: string };
};

/**
 * The attendance of a held space, as aggregate counts only: a later one replaces the earlier
 * (a correction, with its reason).
 */
export type AttendanceRecorded = {
  type: 'AttendanceRecorded';
  data: {
    dialogueSpaceId: string;
    total: number;
    byGroup: GroupCount[];
    byTerritory: TerritoryCount[];
    minutes?: Minutes;
    recordedAt: Timestamp;
    reason?: string;
  };
};

export type ImprovementActionAgreed = {
  type: 'ImprovementActionAgreed';
  data: {
    dialogueSpaceId: string;
    actionId: string;
    commitmentId: string;
    description: string;
    responsibleAgency: string;
    dueDate: CalendarDate;
    agreedAt: Timestamp;
  };
};

export type ImprovementActionReported = {
  type: 'ImprovementActionReported';
  data: {
    dialogueSpaceId: string;
    actionId: string;
    status: ImprovementActionReportStatus;
    percent: number;
    note?: string;
    evidence: ActionEvidence[];
    reportedAt: Timestamp;
    reason?: string;
  };
};

export type DialogueSpaceEvent =
  | DialogueSpaceConvened
  | DialogueSpaceRevised
  | DialogueSpaceHeld
  | DialogueSpaceCancelled
  | AttendanceRecorded
  | ImprovementActionAgreed
  | ImprovementActionReported;

export type DialogueSpaceEventType = DialogueSpaceEvent['type'];

/** An event as stored: with its id. */
export type StoredDialogueSpaceEvent = DialogueSpaceEvent & { id: string };

/** The schema version each event type is written at now. */
export const DIALOGUE_SPACE_SCHEMA_VERSIONS: Readonly<Record<DialogueSpaceEventType, number>> = {
  DialogueSpaceConvened: 1,
  DialogueSpaceRevised: 1,
  DialogueSpaceHeld: 1,
  DialogueSpaceCancelled: 1,
  AttendanceRecorded: 1,
  ImprovementActionAgreed: 1,
  ImprovementActionReported: 1,
};

/** The event store's name of the space's stream. */
export function dialogueSpaceStream(dialogueSpaceId: string): string {
  return `dialogue-space-${dialogueSpaceId}`;
}
