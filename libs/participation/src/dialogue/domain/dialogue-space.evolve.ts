import type { DialogueSpaceEvent, StoredDialogueSpaceEvent } from './dialogue-space.events.js';
import type {
  DialogueSpaceState,
  ImprovementAction,
  RecordedDialogueSpace,
} from './dialogue-space.state.js';

/** Folds one event into the space's state. Pure; events are trusted (decide checked them). */
export function evolve(
  state: DialogueSpaceState,
  event: StoredDialogueSpaceEvent | DialogueSpaceEvent,
): DialogueSpaceState {
  if (event.type === 'DialogueSpaceConvened') {
    const { recordedAt, ...fields } = event.data;
    return { ...fields, status: 'convened', recordedAt, actions: [] };
  }
  if (state.status === 'empty') return state;
  return evolveRecorded(state, event);
}

function evolveRecorded(
  space: RecordedDialogueSpace,
  event: StoredDialogueSpaceEvent | DialogueSpaceEvent,
): RecordedDialogueSpace {
  switch (event.type) {
    case 'DialogueSpaceConvened':
      return space;
    case 'DialogueSpaceRevised': {
      const { territoryId, ...changes } = event.data.changes;
      const next: RecordedDialogueSpace = { ...space, ...changes };
      if (territoryId === null) delete next.territoryId;
      else if (territoryId !== undefined) next.territoryId = territoryId;
      return next;
    }
    case 'DialogueSpaceHeld':
      return { ...space, status: 'held', heldAt: event.data.heldAt };
    case 'DialogueSpaceCancelled':
      return {
        ...space,
        status: 'cancelled',
        cancelledAt: event.data.cancelledAt,
        cancellationReason: event.data.reason,
      };
    case 'AttendanceRecorded': {
      const { dialogueSpaceId: _id, reason: _reason, ...attendance } = event.data;
      const corrections = space.attendance === undefined ? 0 : space.attendance.corrections + 1;
      return { ...space, attendance: { ...attendance, corrections } };
    }
    case 'ImprovementActionAgreed': {
      const { dialogueSpaceId: _id, ...agreed } = event.data;
      const action: ImprovementAction = { ...agreed, status: 'agreed', percent: 0, reports: [] };
      return { ...space, actions: [...space.actions, action] };
    }
    case 'ImprovementActionReported': {
      const { dialogueSpaceId: _id, actionId, ...report } = event.data;
      const actions = space.actions.map((action): ImprovementAction => {
        if (action.actionId !== actionId) return action;
        const next: ImprovementAction = {
          ...action,
          status: report.status,
          percent: report.percent,
          reports: [...action.reports, report],
        };
        if (report.status === 'completed') next.completedAt = report.reportedAt;
        if (report.status === 'cancelled') {
          next.cancelledAt = report.reportedAt;
          if (report.reason !== undefined) next.cancellationReason = report.reason;
        }
        return next;
      });
      return { ...space, actions };
    }
  }
}
