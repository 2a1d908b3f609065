/**
 * Commands on a dialogue space. Their data is what the caller sent, unchecked: the decider
 * checks every member (`dialogue-space.validate.ts`). `agencyId` on RecordDialogueSpace is
 * never the caller's: the application sets it to the lead agency of the commitments named.
 */

export type RecordDialogueSpace = {
  type: 'RecordDialogueSpace';
  data: {
    dialogueSpaceId: string;
    /** convened (the default), held or cancelled. */
    status?: unknown;
    kind: unknown;
    title: unknown;
    convenedAt: unknown;
    startsAt: unknown;
    place: unknown;
    channel: unknown;
    territoryId?: unknown;
    agenda: unknown;
    commitmentIds: unknown;
    /** Required to change a space recorded before, and to cancel one. */
    reason?: unknown;
    /** Set by the application: the one lead agency of `commitmentIds`. */
    agencyId?: string;
  };
};

export type RecordAttendance = {
  type: 'RecordAttendance';
  data: {
    dialogueSpaceId: string;
    total: unknown;
    byGroup?: unknown;
    byTerritory?: unknown;
    minutes?: unknown;
    /** Required for a correction: an attendance recorded before. */
    reason?: unknown;
  };
};

export type AgreeImprovementAction = {
  type: 'AgreeImprovementAction';
  data: {
    dialogueSpaceId: string;
    actionId: unknown;
    commitmentId: unknown;
    description: unknown;
    responsibleAgency: unknown;
    dueDate: unknown;
  };
};

export type ReportImprovementAction = {
  type: 'ReportImprovementAction';
  data: {
    dialogueSpaceId: string;
    actionId: unknown;
    status: unknown;
    percent?: unknown;
    note?: unknown;
    evidence?: unknown;
    /** Required to cancel. */
    reason?: unknown;
  };
};

export type DialogueSpaceCommand =
  RecordDialogueSpace | RecordAttendance | AgreeImprovementAction | ReportImprovementAction;

export type DialogueSpaceCommandType = DialogueSpaceCommand['type'];
