import { fail, oneOf, sameJson, type DecideContext, type Decider } from '#kernel';
import type {
  AgreeImprovementAction,
  DialogueSpaceCommand,
  RecordAttendance,
  RecordDialogueSpace,
  ReportImprovementAction,
} from './dialogue-space.commands.js';
import {
  DialogueSpaceNotFound,
  DialogueSpaceStatusForbids,
  dialogueRuleBroken,
  ImprovementActionAlreadyAgreed,
  ImprovementActionClosed,
  ImprovementActionNotFound,
} from './dialogue-space.errors.js';
import {
  IMPROVEMENT_ACTION_REPORT_STATUSES,
  type DialogueSpaceChanges,
  type DialogueSpaceEvent,
  type DialogueSpaceFields,
  type StoredDialogueSpaceEvent,
} from './dialogue-space.events.js';
import { evolve } from './dialogue-space.evolve.js';
import {
  initialDialogueSpaceState,
  type DialogueSpaceState,
  type RecordedDialogueSpace,
} from './dialogue-space.state.js';
import {
  actionEvidence,
  dialogueSpaceFields,
  dueDate,
  groupCounts,
  identifier,
  minutes,
  optionalText,
  percent,
  territoryCounts,
  text,
  total,
} from './dialogue-space.validate.js';

const STATUSES = ['convened', 'held', 'cancelled'] as const;
const NAME = 300;

/** Decides a dialogue space command on the space's state at the business time `now`. */
export function decide(
  command: DialogueSpaceCommand,
  state: DialogueSpaceState,
  { now }: DecideContext,
): DialogueSpaceEvent[] {
  switch (command.type) {
    case 'RecordDialogueSpace':
      return recordSpace(command, state, now);
    case 'RecordAttendance':
      return recordAttendance(
        command,
        held(state, command.data.dialogueSpaceId, 'record attendance'),
        now,
      );
    case 'AgreeImprovementAction':
      return agreeAction(
        command,
        held(state, command.data.dialogueSpaceId, 'agree improvement actions'),
        now,
      );
    case 'ReportImprovementAction':
      return reportAction(command, recorded(state, command.data.dialogueSpaceId), now);
  }
}

function recorded(state: DialogueSpaceState, id: string): RecordedDialogueSpace {
  if (state.status === 'empty') throw new DialogueSpaceNotFound(id);
  return state;
}

/** The space, if it was held: attendance and agreements come from a space that met. */
function held(state: DialogueSpaceState, id: string, what: string): RecordedDialogueSpace {
  const space = recorded(state, id);
  if (space.status !== 'held') {
    throw new DialogueSpaceStatusForbids(id, space.status, `only a held space can ${what}`);
  }
  return space;
}

/**
 * A new space is convened (and held at once when recorded as held); a recorded one is
 * revised (with a reason), held, or cancelled (with a reason). A cancelled space takes no
 * change, and a held one is not cancelled.
 */
function recordSpace(
  command: RecordDialogueSpace,
  state: DialogueSpaceState,
  now: Date,
): DialogueSpaceEvent[] {
  const { data } = command;
  const dialogueSpaceId = identifier(data.dialogueSpaceId, 'dialogueSpaceId');
  const status = data.status === undefined ? 'convened' : oneOf(data.status, STATUSES, 'status');
  const fields = dialogueSpaceFields(data, now);
  const reason = optionalText(data.reason, 'reason');
  const agencyId = data.agencyId;
  if (agencyId === undefined) fail('commitmentIds', 'required');
  const at = now.toISOString();
  const events: DialogueSpaceEvent[] = [];

  if (state.status === 'empty') {
    if (status === 'cancelled') {
      throw new DialogueSpaceNotFound(dialogueSpaceId);
    }
    events.push({
      type: 'DialogueSpaceConvened',
      data: { dialogueSpaceId, agencyId, ...fields, recordedAt: at },
    });
  } else {
    if (state.status === 'cancelled') {
      throw new DialogueSpaceStatusForbids(dialogueSpaceId, state.status, 'it takes no change');
    }
    if (agencyId !== state.agencyId) {
      throw dialogueRuleBroken(
        'commitmentIds',
        'one_lead_agency',
        `commitmentIds must be commitments of ${state.agencyId}, the space's lead agency`,
      );
    }
    const changes = changedFields(state, fields);
    const changing = Object.keys(changes).length > 0;
    if (!changing && status === state.status) fail('input', 'no_change');
    if (changing) {
      if (reason === undefined) {
        throw dialogueRuleBroken(
          'reason',
          'required_to_change',
          'reason is required to change a recorded dialogue space',
        );
      }
      events.push({ type: 'DialogueSpaceRevised', data: { dialogueSpaceId, changes, reason } });
    }
    if (status === 'convened' && state.status === 'held') {
      throw new DialogueSpaceStatusForbids(
        dialogueSpaceId,
        state.status,
        'it cannot be convened again',
      );
    }
    if (status === 'cancelled') {
      if (state.status === 'held') {
        throw new DialogueSpaceStatusForbids(
          dialogueSpaceId,
          state.status,
          'a held space is not cancelled',
        );
      }
      if (reason === undefined) {
        throw dialogueRuleBroken(
          'reason',
          'required_to_cancel',
          'reason is required to cancel a dialogue space',
        );
      }
      events.push({
        type: 'DialogueSpaceCancelled',
        data: { dialogueSpaceId, cancelledAt: at, reason },
      });
      return events;
    }
  }
  if (status === 'held' && (state.status === 'empty' || state.status === 'convened')) {
    if (new Date(fields.startsAt).getTime() > now.getTime()) {
      throw dialogueRuleBroken(
        'status',
        'not_in_future',
        'a space that starts later cannot be held yet',
      );
    }
    events.push({ type: 'DialogueSpaceHeld', data: { dialogueSpaceId, heldAt: fields.startsAt } });
  }
  return events;
}

/** The fields that differ from what the space records, with their new values. */
function changedFields(
  space: RecordedDialogueSpace,
  fields: DialogueSpaceFields,
): DialogueSpaceChanges {
  const changes: Partial<Record<keyof DialogueSpaceFields, unknown>> = {};
  const keys: (keyof DialogueSpaceFields)[] = [
    'kind',
    'title',
    'convenedAt',
    'startsAt',
    'place',
    'channel',
    'territoryId',
    'agenda',
    'commitmentIds',
  ];
  for (const key of keys) {
    // Leaving the territory out now makes the space district-wide: recorded as null.
    if (!sameJson(space[key], fields[key])) changes[key] = fields[key] ?? null;
  }
  return changes as DialogueSpaceChanges;
}

/** The first attendance, or a correction of it (with a reason). Aggregate counts only. */
function recordAttendance(
  command: RecordAttendance,
  space: RecordedDialogueSpace,
  now: Date,
): DialogueSpaceEvent[] {
  const { data } = command;
  const head = total(data.total);
  const byGroup = groupCounts(data.byGroup, head);
  const byTerritory = territoryCounts(data.byTerritory, head);
  const minutesOf = minutes(data.minutes) ?? space.attendance?.minutes;
  const reason = optionalText(data.reason, 'reason');
  if (space.attendance !== undefined && reason === undefined) {
    throw dialogueRuleBroken(
      'reason',
      'required_for_correction',
      'reason is required to correct the attendance already recorded',
    );
  }
  const attendance = {
    total: head,
    byGroup,
    byTerritory,
    ...(minutesOf === undefined ? {} : { minutes: minutesOf }),
  };
  if (space.attendance !== undefined) {
    const { recordedAt: _at, corrections: _c, ...before } = space.attendance;
    if (sameJson(before, attendance)) fail('input', 'no_change');
  }
  return [
    {
      type: 'AttendanceRecorded',
      data: {
        dialogueSpaceId: space.dialogueSpaceId,
        ...attendance,
        recordedAt: now.toISOString(),
        ...(reason === undefined ? {} : { reason }),
      },
    },
  ];
}

function agreeAction(
  command: AgreeImprovementAction,
  space: RecordedDialogueSpace,
  now: Date,
): DialogueSpaceEvent[] {
  const { data } = command;
  const actionId = identifier(data.actionId, 'actionId');
  if (space.actions.some((a) => a.actionId === actionId)) {
    throw new ImprovementActionAlreadyAgreed(actionId);
  }
  const commitmentId = identifier(data.commitmentId, 'commitmentId');
  if (!space.commitmentIds.includes(commitmentId)) {
    throw dialogueRuleBroken(
      'commitmentId',
      'not_concerned',
      `commitmentId must be one of the commitments the space concerns: ${space.commitmentIds.join(', ')}`,
    );
  }
  const due = dueDate(data.dueDate);
  if (due < space.startsAt.slice(0, 10)) {
    fail('dueDate', 'not_before_start', 'dueDate must not be before the space met');
  }
  return [
    {
      type: 'ImprovementActionAgreed',
      data: {
        dialogueSpaceId: space.dialogueSpaceId,
        actionId,
        commitmentId,
        description: text(data.description, 'description'),
        responsibleAgency: text(data.responsibleAgency, 'responsibleAgency', NAME),
        dueDate: due,
        agreedAt: now.toISOString(),
      },
    },
  ];
}

/**
 * Progress on an action, like a milestone's: in progress with a percent, completed (100),
 * or cancelled with a reason. A completed or cancelled action takes no more reports.
 */
function reportAction(
  command: ReportImprovementAction,
  space: RecordedDialogueSpace,
  now: Date,
): DialogueSpaceEvent[] {
  const { data } = command;
  const actionId = identifier(data.actionId, 'actionId');
  const action = space.actions.find((a) => a.actionId === actionId);
  if (action === undefined) throw new ImprovementActionNotFound(actionId);
  if (action.status === 'completed' || action.status === 'cancelled') {
    throw new ImprovementActionClosed(actionId, action.status);
  }
  const status = oneOf(data.status, IMPROVEMENT_ACTION_REPORT_STATUSES, 'status');
  const reason = optionalText(data.reason, 'reason');
  if (status === 'cancelled' && reason === undefined) {
    throw dialogueRuleBroken(
      'reason',
      'required_to_cancel',
      'reason is required to cancel an improvement action',
    );
  }
  const reported =
    status === 'completed'
      ? 100
      : status === 'cancelled'
        ? action.percent
        : percent(data.percent, 'percent');
  if (
    status === 'completed' &&
    data.percent !== undefined &&
    percent(data.percent, 'percent') !== 100
  ) {
    fail('percent', 'range', 'percent of a completed action is 100');
  }
  const note = optionalText(data.note, 'note');
  return [
    {
      type: 'ImprovementActionReported',
      data: {
        dialogueSpaceId: space.dialogueSpaceId,
        actionId,
        status,
        percent: reported,
        ...(note === undefined ? {} : { note }),
        evidence: actionEvidence(data.evidence),
        reportedAt: now.toISOString(),
        ...(reason === undefined ? {} : { reason }),
      },
    },
  ];
}

/** The dialogue space's decider, for the command handler and the read model. */
export const dialogueSpaceDecider: Decider<
  DialogueSpaceCommand,
  DialogueSpaceEvent,
  DialogueSpaceState,
  StoredDialogueSpaceEvent
> = {
  decide,
  evolve,
  initialState: initialDialogueSpaceState,
};
